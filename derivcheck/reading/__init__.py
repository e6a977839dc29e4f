"""Reading: text as people type it -> SymPy trees and programs.

``tokens`` (characters -> tokens), ``names`` (variables, constants, and the catalogue's
functions as people spell them), ``grammar`` (tokens -> SymPy), ``program`` (assignments),
``notation`` (d/dx requests and primes), ``points`` (``x=1,y=2``); ``parser`` holds the
public entry points: parse, parse_source, parse_program, read_derivative_request,
read_prime, parse_point_assignments.
"""
