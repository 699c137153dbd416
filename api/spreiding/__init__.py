"""The Spreidingswet task: places allotted, realised, planned, and the incentive."""
