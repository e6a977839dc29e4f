"""Reading: text as people type it -> SymPy trees and programs."""
