"""The patient's wizard on the clinic tablet: its screens, widgets, answers, signing and the reset
between patients."""
