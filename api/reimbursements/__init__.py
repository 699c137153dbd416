"""Reimbursement schemes, their rates, the claim engine and claims."""
