"""Heights and weights at the bounds of their ranges in every unit, and the message of each unit:
the cases the AppTest and the browser walks of the wizard share."""

BOUNDARIES = [
    ("height_cm", "cm", {"cm": 50}, True),
    ("height_cm", "cm", {"cm": 49.9}, False),
    ("height_cm", "cm", {"cm": 250}, True),
    ("height_cm", "cm", {"cm": 250.1}, False),
    ("height_cm", "ft_in", {"feet": 1, "inches": 7.69}, True),  # 50.0126 cm
    ("height_cm", "ft_in", {"feet": 1, "inches": 7.68}, False),  # 49.9872 cm
    ("height_cm", "ft_in", {"feet": 1, "inches": 7.68503937007874}, False),  # 49.9999999999999996 cm, 50.0 in floats
    ("height_cm", "ft_in", {"feet": 8, "inches": 2.42}, True),  # 249.9868 cm
    ("height_cm", "ft_in", {"feet": 8, "inches": 2.43}, False),  # 250.0122 cm
    ("weight_kg", "kg", {"kg": 20}, True),
    ("weight_kg", "kg", {"kg": 19.9}, False),
    ("weight_kg", "kg", {"kg": 350}, True),
    ("weight_kg", "kg", {"kg": 350.1}, False),
    ("weight_kg", "st_lb", {"stones": 3, "pounds": 2.1}, True),  # 20.0036 kg
    ("weight_kg", "st_lb", {"stones": 3, "pounds": 2}, False),  # 19.9581 kg
    ("weight_kg", "st_lb", {"stones": 55, "pounds": 1.6}, True),  # 349.9920 kg
    ("weight_kg", "st_lb", {"stones": 55, "pounds": 1.7}, False),  # 350.0374 kg
    ("weight_kg", "lb", {"pounds": 44.1}, True),  # 20.0034 kg
    ("weight_kg", "lb", {"pounds": 44.09}, False),  # 19.9989 kg
    ("weight_kg", "lb", {"pounds": 44.09245243697551}, False),  # 19.99999999999999721 kg, 20.0 in floats
    ("weight_kg", "lb", {"pounds": 771.6}, True),  # 349.9920 kg
    ("weight_kg", "lb", {"pounds": 771.7}, False),  # 350.0374 kg
]
NEGATIVE = [("height_cm", "ft_in", {"feet": 6, "inches": -2}), ("weight_kg", "kg", {"kg": -70})]
MESSAGES = {
    "cm": "Please enter your height in centimetres, between 50 cm and 250 cm.",
    "ft_in": "Please enter your height in feet and inches, between 1 ft 8 in and 8 ft 2 in.",
    "kg": "Please enter your weight in kilograms, between 20 kg and 350 kg.",
    "st_lb": "Please enter your weight in stones and pounds, between 3 st 3 lb and 55 st 1 lb.",
    "lb": "Please enter your weight in pounds, between 45 lb and 771 lb.",
}
