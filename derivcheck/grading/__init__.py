"""Grading: answer files, exercises, mistake candidates, one answer and whole batches."""
