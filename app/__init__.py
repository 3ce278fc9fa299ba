"""The Streamlit app: the patient wizard and the staff area. Only this package imports Streamlit."""
