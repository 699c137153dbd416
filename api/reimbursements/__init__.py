"""The Rijk's reimbursements: ``schemes`` (the schemes and their published rates) and
``claims`` (the claim engine, claims, their lines and correction claims)."""
