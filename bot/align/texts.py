"""What ``/align`` says about itself (its help) and the company's vision and mission."""

from __future__ import annotations

ALIGN_USAGE = "`/align help`"

ALIGN_HELP_TITLE = "Northstar: company alignment"
ALIGN_HELP_INTRO = (
    "Northstar keeps everyone pointed at the same north star: the company's vision and "
    "mission, goals that cascade from company to team to person, weekly check-ins, "
    "anonymous pulse surveys and a weekly alignment digest."
)
ALIGN_HELP_EXAMPLE = (
    "Example: `/align vision Every small business in Europe runs on software it loves.`"
)


def statement_label(field: str) -> str:
    return "vision" if field == "vision" else "mission"


def statement_saved(field: str, text: str) -> str:
    return f":white_check_mark: The company {statement_label(field)} is now:\n>{text}"


def statement_shown(field: str, text: str) -> str:
    if not text:
        return (
            f"No {statement_label(field)} has been set yet. An admin can set it with "
            f"`/align {field} &lt;text&gt;`."
        )
    return f"The company {statement_label(field)}:\n>{text}"
