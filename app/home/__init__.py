"""The pages a patient's own device reaches (``home_app.py``): an invitation's link, the date of birth that
opens it, and the tablet's wizard with the answers saved on the server after every step."""
