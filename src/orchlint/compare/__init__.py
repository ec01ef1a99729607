"""Features that compare evaluations: ``diff`` (two versions of a file), ``whatif`` (an edited
file), ``rereview`` (a past decision with today's facts) and ``render`` (their text)."""
