"""The documents drawn with reportlab: the clinician summary, the patient's take-home sheet, their
shared styles, the shipped fonts and the shaping of complex scripts."""
