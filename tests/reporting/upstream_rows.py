"""Rows of a national-field export file, for the import tests and the admin's import page."""

from datetime import datetime

from reporting.upstream.mapping import BEIJING

HEADERS = [
    "projectNo", "taskCode", "deptCode", "areaCode", "userProp", "userName", "windowCode", "staffNo",
    "handleChannel", "acceptTime", "finishTime", "assessType", "pf", "satisfaction", "evalDetail",
    "writingEvaluation", "assessTime", "assessNumber",
]  # fmt: skip


def beijing(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2024 (4 March is a Monday), Beijing time."""
    return datetime(2024, 3, day, hour, minute, tzinfo=BEIJING)


def case_codes(org) -> dict[str, str]:
    """The matter, department and region columns of a 章贡区 case of the ``org`` fixture."""
    side = org["zhanggong"]
    return {"taskCode": side["matter"].code, "deptCode": side["department"].code, "areaCode": "360702000000"}


def row(codes: dict, serial: str, **fields) -> list:
    values = {
        "projectNo": serial, **codes, "userProp": "1", "userName": "王小明", "windowCode": "", "staffNo": "",
        "handleChannel": "", "acceptTime": "2024-03-04 09:00:00", "finishTime": "2024-03-04 10:00:00",
        "assessType": "1", "pf": "1", "satisfaction": "5", "evalDetail": "", "writingEvaluation": "",
        "assessTime": "2024-03-05 09:00:00", "assessNumber": "1",
    }  # fmt: skip
    values.update(fields)
    return [values[name] for name in HEADERS]
