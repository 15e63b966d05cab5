"""The demo's sample business: Golden Crust, a bakery growing into office catering.

Pure data: people, teams, the goal cascade, KPIs and what people write in check-ins. The
simulation (``bot.demo.scenario``) types it into Slack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

TEAM_ID = "T0GOLDEN"
COMPANY = "Golden Crust Bakery"
FIRST_MONDAY = date(2026, 3, 2)  # the simulated weeks start here (2026-W10)
SET_UP_AT = datetime(2026, 2, 27, 15, 0, tzinfo=UTC)  # the Friday before, 09:00 in Chicago
FISCAL_YEAR_END = date(2026, 12, 31)
VISION = "Every office lunch and family party in Chicago has Golden Crust bread on the table."
MISSION = (
    "We bake honest bread and pastries every morning, deliver them warm and on time, and "
    "treat our customers and our team like neighbours."
)
DIGEST_CHANNEL, DIGEST_CHANNEL_NAME = "C0NORTHSTAR", "northstar"


@dataclass(frozen=True)
class Person:
    user_id: str
    handle: str
    real_name: str
    tz: str
    admin: bool = False


@dataclass(frozen=True)
class TeamSpec:
    name: str
    channel_id: str
    channel_name: str
    lead: str
    members: tuple[str, ...]


OWNER = "U0ROSA"
PEOPLE = (
    Person(OWNER, "rosa", "Rosa Martinez", "America/Chicago", admin=True),
    Person("U0PRIYA", "priya", "Priya Shah", "America/Chicago"),
    Person("U0LEO", "leo", "Leo Novak", "Europe/Lisbon"),
    Person("U0MARCUS", "marcus", "Marcus Reed", "America/Chicago"),
    Person("U0ANA", "ana", "Ana Costa", "America/Chicago"),
    Person("U0JIN", "jin", "Jin Park", "America/Chicago"),
    Person("U0HANNAH", "hannah", "Hannah Weber", "America/New_York"),
    Person("U0OMAR", "omar", "Omar Haddad", "America/Chicago"),
    Person("U0CHLOE", "chloe", "Chloé Dubois", "America/Denver"),
    Person("U0SAM", "sam", "Sam Okafor", "America/Chicago"),
    Person("U0NINA", "nina", "Nina Petrova", "America/Chicago"),
    Person("U0TOM", "tom", "Tom Becker", "America/Chicago"),
)
NAMES = {person.user_id: person.real_name for person in PEOPLE}
# Set by Rosa on the first morning, in rank order: (title, why).
PRIORITIES = (
    ("Win the office lunch market", "Offices order every week: the steadiest revenue we can add"),
    ("Cut waste and food cost", "Every point of food cost we save is profit we keep"),
    ("Deliver on time, every time", "Catering customers come back when the van is early"),
)
# Given on the last Friday, as typed (Slack sends mentions as <@U…|name>).
KUDOS = (
    ("U0HANNAH", "<@U0PRIYA|priya> the menu page is live and offices already order from it G-6"),
    ("U0ROSA", "<@U0NINA|nina> <@U0TOM|tom> a week of on-time vans after the route change"),
)

TEAMS = (
    TeamSpec("Marketing", "C0MARKETING", "marketing", "U0PRIYA", ("U0PRIYA", "U0LEO")),
    TeamSpec(
        "Operations", "C0OPERATIONS", "operations", "U0MARCUS", ("U0MARCUS", "U0ANA", "U0JIN")
    ),
    TeamSpec("Sales", "C0SALES", "sales", "U0HANNAH", ("U0HANNAH", "U0OMAR", "U0CHLOE")),
    TeamSpec("Delivery", "C0DELIVERY", "delivery", "U0SAM", ("U0SAM", "U0NINA", "U0TOM")),
)


def team_of(user_id: str) -> str | None:
    return next((team.name for team in TEAMS if user_id in team.members), None)


@dataclass(frozen=True)
class GoalSpec:
    """A goal and how it moves. ``pace`` is the share of the way from start to target its
    owner reports each week in the check-in; ``kpi`` names the KPI whose Friday value the
    owner copies into it with ``/goal update``; a milestone is ticked done in the check-in
    of ``done_week``."""

    key: str
    title: str
    level: str
    owner: str
    due: date
    team: str | None = None
    parent: str | None = None
    measure: str = "number"
    start: float = 0
    target: float = 1
    unit: str = ""
    step: float = 1
    pace: float = 0
    kpi: str | None = None
    done_week: int | None = None
    closing_note: str | None = None  # closed as done with this note in the last week

    def value_in_week(self, week: int) -> float:
        """What the owner reports in week ``week`` (from 1), rounded to ``step``."""
        share = min(1.0, self.pace * week)
        raw = self.start + (self.target - self.start) * share
        return round(round(raw / self.step) * self.step, 2)


GOALS = (
    GoalSpec("company", "Grow catering revenue 20% this fiscal year", "company", OWNER,
             FISCAL_YEAR_END, start=10_000, target=12_000, unit="$", kpi="revenue"),
    GoalSpec("marketing", "Run 3 office lunch campaigns", "team", "U0PRIYA", date(2026, 6, 30),
             team="Marketing", parent="company", target=3, pace=0.12),
    GoalSpec("operations", "Bring food cost down to 29%", "team", "U0MARCUS", date(2026, 9, 30),
             team="Operations", parent="company", start=33, target=29, unit="%", step=0.1,
             kpi="food_cost"),
    GoalSpec("sales", "Sign 12 new office catering accounts", "team", "U0HANNAH",
             date(2026, 6, 30), team="Sales", parent="company", target=12, pace=0.045),
    GoalSpec("delivery", "Deliver 97% of catering orders on time", "team", "U0SAM",
             date(2026, 6, 30), team="Delivery", parent="company", start=92, target=97,
             unit="%", step=0.1, kpi="on_time"),
    GoalSpec("menu_page", "Publish the catering menu page", "personal", "U0PRIYA",
             date(2026, 3, 27), parent="marketing", measure="milestone", done_week=3,
             closing_note="The catering menu page is live"),
    GoalSpec("campaigns", "Design the office lunch campaign artwork", "personal", "U0LEO",
             date(2026, 5, 29), parent="marketing", target=3, pace=0.17),
    GoalSpec("suppliers", "Renegotiate 4 supplier contracts", "personal", "U0ANA",
             date(2026, 4, 30), parent="operations", target=4, pace=0.13),
    GoalSpec("waste", "Cut prep waste from 9% to 5%", "personal", "U0JIN", date(2026, 4, 30),
             parent="operations", start=9, target=5, unit="%", step=0.1, pace=0.06),
    GoalSpec("tastings", "Book 40 tasting visits with offices", "personal", "U0OMAR",
             date(2026, 5, 29), parent="sales", target=40, pace=0.12),
    GoalSpec("accounts", "Win 4 accounts from tasting visits", "personal", "U0CHLOE",
             date(2026, 6, 30), parent="sales", target=4, pace=0.07),
    GoalSpec("van_routes", "Plan routes for the new catering van", "personal", "U0NINA",
             date(2026, 3, 20), parent="delivery", measure="milestone"),
    GoalSpec("loading", "Cut van loading time from 25 to 15 minutes", "personal", "U0TOM",
             date(2026, 5, 29), parent="delivery", start=25, target=15, unit="min", pace=0.08),
    GoalSpec("oven", "Learn the new deck oven", "personal", "U0MARCUS", date(2026, 4, 30),
             measure="milestone"),
)  # fmt: skip
GOAL_NUMBERS = {goal.key: number for number, goal in enumerate(GOALS, start=1)}
COMPANY_GOAL = GOALS[0]


@dataclass(frozen=True)
class KpiSpec:
    """A KPI and its made-up history: ``year_ago`` to ``latest`` over the last 52 weeks, then
    ``weekly`` change a week during the simulation, each value with up to ``noise`` around it."""

    key: str
    name: str
    unit: str
    higher_is_better: bool
    target: float
    green: float
    red: float
    owner: str
    team: str | None
    goal: str | None
    year_ago: float
    latest: float
    weekly: float
    noise: float
    step: float


KPIS = (
    KpiSpec("revenue", "Catering revenue", "$", True, 12_000, 11_000, 9_500, OWNER, None,
            "company", year_ago=8_200, latest=10_000, weekly=90, noise=220, step=10),
    KpiSpec("orders", "Catering orders per week", "", True, 60, 45, 38, "U0HANNAH", "Sales",
            "sales", year_ago=31, latest=42, weekly=1.5, noise=2.5, step=1),
    KpiSpec("on_time", "On-time delivery", "%", True, 97, 95, 90, "U0SAM", "Delivery",
            "delivery", year_ago=88.5, latest=92, weekly=0.3, noise=0.7, step=0.1),
    KpiSpec("food_cost", "Food cost", "%", False, 29, 31, 32, "U0MARCUS", "Operations",
            "operations", year_ago=34.8, latest=33, weekly=-0.25, noise=0.3, step=0.1),
)  # fmt: skip
KPI_NUMBERS = {kpi.key: number for number, kpi in enumerate(KPIS, start=1)}

# --- what people write in their check-ins, by team -------------------------------------------

MOVED = {
    None: ("Reviewed the catering numbers with every lead", "Met our bank about the second van"),
    "Marketing": ("Shot photos of the new sandwich platters", "Drafted the office lunch mailer",
                  "Wrote copy for the catering menu page"),
    "Operations": ("Tested a cheaper butter supplier", "Re-weighed every prep station",
                   "Trained the morning shift on the deck oven"),
    "Sales": ("Ran four tastings at offices in the Loop", "Sent proposals to two law firms",
              "Followed up on last week's tastings"),
    "Delivery": ("Drove the new west-side route twice", "Loaded the van by order number",
                 "Fixed the cooler in van 1"),
}  # fmt: skip
BLOCKERS = {
    None: ("Waiting on the bank's answer about the van loan",),
    "Marketing": ("Still no final prices for the tasting menu", "Photos are waiting for sign-off"),
    "Operations": ("Butter prices went up again this week", "The proofer broke on Tuesday"),
    "Sales": ("Need the new tasting menu prices before more proposals",
              "Two offices want invoices on 60-day terms"),
    "Delivery": ("Van 2 is in the shop until Thursday", "Road works on Lake Street slow us down"),
}  # fmt: skip
NEXT = {
    None: ("Decide on the second van", "Plan the spring price list"),
    "Marketing": ("Launch the first office campaign", "Finish the menu page"),
    "Operations": ("Weigh waste every day this week", "Meet two flour suppliers"),
    "Sales": ("Five more tasting visits", "Close the two law firms"),
    "Delivery": ("Try the new route plan on Friday", "Get van 2 back on the road"),
}  # fmt: skip
SURVEY_TITLE = "March pulse: are we pointed the same way?"
SURVEY_QUESTION = "What would help you most this month?"
SURVEY_COMMENTS = (
    "More notice before big catering orders, please.",
    "Love seeing the revenue numbers every week.",
    "The new van can't come soon enough.",
    "Clearer priorities between walk-in and catering on busy days.",
)
