# One way of writing dates on every page: 15 Jan 2026. Date fields accept ISO (what the
# browser's date picker sends) and the same format.
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d %b %Y", "%d %B %Y"]
FIRST_DAY_OF_WEEK = 1
