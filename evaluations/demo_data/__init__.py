"""Demo data for the ``seed_demo`` command (江西省赣州市).

All names, codes and lists below are illustrative demo content. Region codes follow the
GB/T 2260 + statistical division pattern: district = 6 digits, town = 9 digits + "000",
village = town's 9 digits + 3 digits.
"""

from .departments import DEPARTMENTS
from .halls import HALLS
from .people import APPLICANTS, COMPANIES, GIVEN_NAMES, SURNAMES
from .regions import CITY, DISTRICTS, PROVINCE

# Password of every demo login (printed by `make run`); demo data is for trying the system only.
DEMO_PASSWORD = "haochaping2026"

__all__ = [
    "APPLICANTS",
    "CITY",
    "COMPANIES",
    "DEMO_PASSWORD",
    "DEPARTMENTS",
    "DISTRICTS",
    "GIVEN_NAMES",
    "HALLS",
    "PROVINCE",
    "SURNAMES",
]
