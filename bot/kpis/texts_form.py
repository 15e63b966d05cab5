"""Sentences of the KPI form (the modal of ``/kpi new`` and ``/kpi edit``) and its inline errors."""

from __future__ import annotations

# --- labels and hints --------------------------------------------------------------------------

FORM_TITLE_NEW = "New KPI"
FORM_TITLE_EDIT = "Edit KPI"
FORM_SUBMIT = "Save"
FORM_CLOSE = "Cancel"
FORM_INTRO = (
    "A KPI is a number you watch all the time. Write numbers as you like: 12500, 12,500, "
    "45%, $3,000 or 1.2k."
)
LABEL_NAME = "Name"
LABEL_UNIT = "Unit"
HINT_UNIT = "Shown with every value: %, $, €, users, ms… Leave empty for plain numbers."
LABEL_DIRECTION = "Which way is good?"
DIRECTION_HIGHER = "Higher is better"
DIRECTION_LOWER = "Lower is better"
LABEL_TARGET = "Target"
LABEL_GREEN = "Green threshold"
HINT_GREEN = "Healthy at or beyond this value."
LABEL_RED = "Red threshold"
HINT_RED = "In trouble at or beyond this value. Between the two thresholds is amber."
LABEL_OWNER = "Owner"
LABEL_TEAM = "Team"
LABEL_GOAL = "Linked goal"
PLACEHOLDER_NONE = "None"
LABEL_CADENCE = "Cadence"
HINT_CADENCE = "How often a source is fetched, and how often you expect a new value."
CADENCE_LABELS = {"hourly": "Hourly", "daily": "Daily", "weekly": "Weekly"}
LABEL_SOURCE = "Source"
HINT_SOURCE = "Let Northstar fetch the value by itself, or log it by hand with /kpi log."
SOURCE_LABELS = {"none": "None: log values by hand", "json": "A JSON address", "csv": "A CSV file"}
LABEL_URL = "Source address (URL)"
HINT_URL = "http or https. Credentials never go in the address: use the header below."
LABEL_PATH = "JSON path or CSV column"
HINT_PATH = "JSON: dotted path to the number, like data.total or items.0.value. CSV: the column."
LABEL_MATCH = "CSV row to use"
HINT_MATCH = "column=value to pick the last matching row, like region=EMEA. Empty: the last row."
LABEL_HEADER = "JSON header name"
HINT_HEADER = "Optional, like Authorization or X-Api-Key. Only admins may set a header."
LABEL_SECRET_ENV = "Variable holding the header's value"
HINT_SECRET_ENV = (
    "The NAME of a NORTHSTAR_KPI_SECRET_… variable set on the Northstar server, like "
    "NORTHSTAR_KPI_SECRET_REVENUE. The secret itself is never entered here nor stored."
)
FORM_HEADER_ADMINS_ONLY = (
    "Only Northstar admins may set or change a header, since it sends a server secret. Clear "
    "these two fields, or ask an admin to add the header."
)
GOALS_GROUP = "Goals {first} to {last}"
TEAMS_GROUP = "Teams {first} to {last}"

FORM_NUMBER_MISSING = "Enter a number, like 12,500 or 45%."


def form_not_a_number(text: str) -> str:
    shown = text if len(text) <= 30 else text[:30] + "…"
    return f"“{shown}” is not a number. Write it like 12500, 12,500, 45%, $3,000 or 1.2k."


def form_thresholds_order(higher_is_better: bool) -> str:
    if higher_is_better:
        return (
            "When higher is better, the red threshold must be below the green one "
            "(for example green 100, red 80)."
        )
    return (
        "When lower is better, the red threshold must be above the green one "
        "(for example green 2, red 5)."
    )


FORM_OWNER_MISSING = "Choose who owns this KPI."
FORM_CHOOSE_FROM_LIST = "Choose an option from the list."
FORM_URL_MISSING = "Enter the address to fetch the value from."
FORM_PATH_MISSING = "Enter the JSON path (like data.total) or the CSV column that holds the value."
FORM_URL_WITHOUT_SOURCE = (
    "You entered an address: choose JSON or CSV here, or clear the address to log values by hand."
)
FORM_MATCH_FORM = "Write the row to pick as column=value, like region=EMEA."
FORM_MATCH_JSON = "Rows are picked only in CSV files; clear this field for a JSON source."
FORM_HEADER_CSV = "Headers are sent only for JSON sources; clear these fields for a CSV file."
FORM_OWNER_NOT_YOU = (
    "You can create KPIs you own. Someone else can own it if you lead its team or are an admin."
)
FORM_TEAM_GONE = "That team no longer exists; choose another team or none."
FORM_GOAL_GONE = "That goal no longer exists; choose another goal or none."
