"""Reimbursement claims (``/reimbursement-claims``): computed by the claim engine from
stays, capacity and a scheme's rates, frozen on submit, corrected by correction claims."""
