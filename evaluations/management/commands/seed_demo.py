"""Load the demo data set (江西省赣州市). Safe to run twice: every row is matched by its code."""

from django.core.management.base import BaseCommand
from django.db import transaction

from evaluations import demo_data as data
from evaluations.demo_activity import seed_activity
from evaluations.models import Department, Hall, Region, Role, ServiceMatter, Staff, User, Window
from evaluations.signals import demo_seeded
from evaluations.validators import uscc_check_char

# District counterparts: windows of district halls serve these instead of the city bureaus.
DISTRICT_DEPARTMENTS = {
    "amr": ("章贡区市场监督管理局", 21),
    "approval": ("章贡区行政审批局", 22),
}


def _uscc(region_code: str, number: int) -> str:
    """A well-formed demo code: 1 (机构编制) 1 (机关), county code, a made-up organisation code."""
    first17 = f"11{region_code[:6]}MB{number:07d}"
    return first17 + uscc_check_char(first17)


class Command(BaseCommand):
    help = (
        "Load the demo data set: one city with its districts, towns and villages, departments, halls, users."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--months",
            type=int,
            default=6,
            help="complete months of demo cases before this one, plus this month so far (0: none)",
        )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        regions = self._regions()
        departments = self._departments(regions)
        windows = self._halls(regions, departments)
        staff = self._staff(departments, windows)
        users = self._users(regions, departments, windows, staff)
        activity = seed_activity(months=options["months"])
        demo_seeded.send(sender=self.__class__, months=options["months"])
        self.stdout.write(
            f"activity: {activity['cases']} cases, {activity['ratings']} ratings, "
            f"{activity['default']} default 满意, {activity['unevaluated']} 未评"
        )
        self.stdout.write(
            f"regions {len(regions)}, departments {len(departments)}, windows {len(windows)}, "
            f"staff {len(staff)}, matters {ServiceMatter.objects.count()}, demo users {len(users)}"
        )

    def _region(self, code: str, name: str, level: int, parent: Region | None) -> Region:
        region, _ = Region.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent": parent}
        )
        return region

    def _regions(self) -> dict[str, Region]:
        province = self._region(*data.PROVINCE, Region.Level.PROVINCE, None)
        city = self._region(*data.CITY, Region.Level.CITY, province)
        regions = {province.code: province, city.code: city}
        for district in data.DISTRICTS:
            county = self._region(district["code"], district["name"], Region.Level.COUNTY, city)
            regions[county.code] = county
            for town in district["towns"]:
                township = self._region(town["code"], town["name"], Region.Level.TOWNSHIP, county)
                regions[township.code] = township
                for village in town["villages"]:
                    row = self._region(village["code"], village["name"], Region.Level.VILLAGE, township)
                    regions[row.code] = row
        return regions

    def _departments(self, regions: dict[str, Region]) -> dict[str, Department]:
        city = regions[data.CITY[0]]
        departments: dict[str, Department] = {}
        for number, item in enumerate(data.DEPARTMENTS, start=1):
            department, _ = Department.objects.update_or_create(
                code=_uscc(city.code, number),
                defaults={"name": item["name"], "region": city, "kind": item["kind"]},
            )
            departments[item["key"]] = department
            for position, (name, kind, consultation_only) in enumerate(item["matters"], start=1):
                ServiceMatter.objects.update_or_create(
                    code=f"{city.code[:6]}-{number:02d}-{position:03d}",
                    defaults={
                        "name": name,
                        "department": department,
                        "kind": kind,
                        "consultation_only": consultation_only,
                    },
                )
        district = regions[data.DISTRICTS[0]["code"]]
        for key, (name, number) in DISTRICT_DEPARTMENTS.items():
            department, _ = Department.objects.update_or_create(
                code=_uscc(district.code, number),
                defaults={"name": name, "region": district, "kind": "bureau"},
            )
            departments[f"district-{key}"] = department
            # A district bureau handles the everyday matters of its city counterpart locally.
            for position, matter in enumerate(departments[key].matters.order_by("code")[:5], start=1):
                ServiceMatter.objects.update_or_create(
                    code=f"{district.code[:6]}-{number:02d}-{position:03d}",
                    defaults={"name": matter.name, "department": department, "kind": matter.kind},
                )
        return departments

    def _halls(self, regions: dict[str, Region], departments: dict[str, Department]) -> dict[str, Window]:
        windows: dict[str, Window] = {}
        for item in data.HALLS:
            hall_region = regions[item["region"]]
            hall, _ = Hall.objects.update_or_create(
                code=f"H-{item['key'].upper()}",
                defaults={
                    "name": item["name"],
                    "region": hall_region,
                    "kind": Hall.Kind.CENTRE
                    if hall_region.level <= Region.Level.COUNTY
                    else Hall.Kind.STATION,
                },
            )
            at_district = hall_region.level >= Region.Level.COUNTY
            for spec in item["windows"]:
                window, _ = Window.objects.update_or_create(
                    code=spec["code"], defaults={"hall": hall, "name": spec["name"]}
                )
                keys = [
                    f"district-{key}" if at_district and f"district-{key}" in departments else key
                    for key in spec["departments"]
                ]
                window.departments.set([departments[key] for key in keys])
                # The first department listed answers for a window rating that names nobody (issue 12).
                if window.lead_department_id != departments[keys[0]].pk:
                    window.lead_department = departments[keys[0]]
                    window.save(update_fields=["lead_department"])
                windows[window.code] = window
        return windows

    def _staff(self, departments: dict[str, Department], windows: dict[str, Window]) -> list[Staff]:
        by_department: dict[int, list[Window]] = {}
        for window in windows.values():
            for department in window.departments.all():
                by_department.setdefault(department.pk, []).append(window)
        ordered = list(departments.values())
        staff: list[Staff] = []
        for number in range(1, 121):
            department = ordered[(number - 1) % len(ordered)]
            served = by_department.get(department.pk, [])
            name = (
                data.SURNAMES[(number * 7) % len(data.SURNAMES)]
                + data.GIVEN_NAMES[(number * 13) % len(data.GIVEN_NAMES)]
            )
            person, _ = Staff.objects.update_or_create(
                staff_no=f"GZ{number:04d}",
                defaults={
                    "name": name,
                    "department": department,
                    "window": served[(number // len(ordered)) % len(served)] if served else None,
                },
            )
            staff.append(person)
        return staff

    def _users(self, regions, departments, windows, staff) -> list[User]:
        city = regions[data.CITY[0]]
        district = regions[data.DISTRICTS[0]["code"]]
        window_clerk = next(person for person in staff if person.window_id)
        specs = [
            ("admin", "系统管理员", Role.SYSADMIN, None, None),
            ("office_city", "市政务服务管理办", Role.OFFICE, city, None),
            ("office_zhanggong", "章贡区政务服务管理办", Role.OFFICE, district, None),
            ("dept_amr", "市市场监管局承办人", Role.DEPARTMENT, None, departments["amr"]),
            ("hall_city", "市政务服务中心负责人", Role.HALL_MANAGER, city, None),
            ("window_clerk", window_clerk.name, Role.WINDOW_STAFF, None, window_clerk.department),
            ("hotline", "12345热线坐席", Role.HOTLINE, city, None),
            ("auditor", "审计员", Role.AUDITOR, city, None),
        ]
        users = []
        for username, name, role, region, department in specs:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={"name": name, "role": role, "region": region, "department": department},
            )
            user.set_password(data.DEMO_PASSWORD)
            user.save()
            users.append(user)
        User.objects.filter(username__in=["office_city", "office_zhanggong"]).update(phone="13500000001")
        # The hall manager hears of a device gone silent or a burst of bad ratings by SMS (devices.alerts).
        User.objects.filter(username="hall_city").update(phone="13500000002")
        for key, department in departments.items():
            if key == "amr":
                continue
            handler, created = User.objects.get_or_create(
                username=f"dept_{key}",
                defaults={
                    "name": f"{department.name}承办人",
                    "role": Role.DEPARTMENT,
                    "department": department,
                },
            )
            if created:  # hashing a password is slow: only new handlers get one
                handler.set_password(data.DEMO_PASSWORD)
                handler.save(update_fields=["password"])
        Staff.objects.filter(user__username="window_clerk").exclude(pk=window_clerk.pk).update(user=None)
        window_clerk.user = users[5]
        window_clerk.save(update_fields=["user"])
        return users
