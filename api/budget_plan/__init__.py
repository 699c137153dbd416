"""The begroting (budget plan) per year with its versions, and the reserve."""
