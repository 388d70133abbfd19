"""The federation router (composition, planning, execution) arrives with issue 3."""
