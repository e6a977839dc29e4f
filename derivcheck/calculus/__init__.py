"""Calculus: the function catalogue, local rules, the chain-rule graph and derivations."""
