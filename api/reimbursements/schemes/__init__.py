"""Reimbursement schemes and their rates (``/reimbursement-schemes``)."""
