"""What the Zhejiang and Shandong profiles share: the national field names of a service record
(办件服务) and of a rating of it, one record per request, and the answer rules.

- Only a rating of a case's service (assessObject 1) goes up, once per (projectNo, assessNumber): the
  platforms key ratings so (a repeat is "评价数据不可重复"). Staff ratings, window ratings without a
  case, a second stage's rating and 未评 markers (the platforms have no code for 未评) stay local.
- Work-order milestones stay local: neither connector has an interface for them.
- The service record goes first (Shandong ``addEvaluateService``; the platforms refuse a rating of a
  service they do not know): one per case and service number, written just before the first rating
  that needs it, so the outbox's per-case order sends it first.
"""

from typing import ClassVar

from django.conf import settings

from evaluations.models import ApplicantType, Evaluation, EvaluationKind, ServiceMatter

from ..mapping import case_key, national_time
from .base import Codes, Payload, Profile, first_upstream_rating, service_number, task_codes

PRO_STATUS_ACCEPTED, PRO_STATUS_DONE = "2", "3"  # 1 待受理, 2 已受理/办理中, 3 已完结


class Provincial(Profile):
    service_first = True
    per_request = 1
    data_source: ClassVar[str]
    user_prop: ClassVar[Codes]
    project_type_field: ClassVar[str]
    project_type: ClassVar[Codes]
    sends_handle_item: ClassVar[bool] = True

    def project_no(self, serial_no: str) -> str:
        return serial_no

    def pushed(self, evaluation: Evaluation) -> bool:
        """Whether the platform takes ratings of this case at all."""
        return evaluation.matter is not None

    def source(self) -> str:
        return settings.UPSTREAM_DATA_SOURCE or self.data_source

    def rating(self, evaluation: Evaluation) -> Payload | None:
        if evaluation.kind == EvaluationKind.UNEVALUATED or not self.pushed(evaluation):
            return None
        if not first_upstream_rating(self, evaluation, case_key(evaluation)):
            return None
        assert evaluation.record is not None  # first_upstream_rating: ratings of a case only
        return {
            **self._case(evaluation),
            "pf": self.pf_code(evaluation),
            "satisfaction": "" if evaluation.grade is None else str(evaluation.grade),
            "evalDetail": self.indicators(evaluation),
            "writingEvaluation": evaluation.comment,
            "assessTime": national_time(evaluation.rated_at),
            "assessNumber": str(evaluation.assess_number),
        }

    def service(self, evaluation: Evaluation) -> tuple[str, Payload] | None:
        record, matter = evaluation.record, evaluation.matter
        if record is None or matter is None:
            return None
        number = service_number(evaluation)
        done = number == "2"
        payload = {
            **self._case(evaluation),
            "taskName": matter.name,
            "deptName": evaluation.department.name,
            "proDepart": evaluation.department.name,
            "proDepartCode": evaluation.department.code,
            "proManager": evaluation.staff.name if evaluation.staff else "",
            "proStatus": PRO_STATUS_DONE if done else PRO_STATUS_ACCEPTED,
            self.project_type_field: self.project_type.get(matter.kind, ""),
            "userProp": self.user_prop.get(record.applicant_type, "1"),
            "acceptDate": national_time(record.accepted_at),
            "resultDate": national_time(record.completed_at) if done else "",
        }
        return f"service:{payload['projectNo']}:{number}", payload

    def _case(self, evaluation: Evaluation) -> Payload:
        record, matter = evaluation.record, evaluation.matter
        assert record is not None and matter is not None
        task_code, handle_item = task_codes(matter.code)
        fields = {
            "dataSource": self.source(),
            "projectNo": self.project_no(record.serial_no),
            "serviceNumber": service_number(evaluation),
            "taskCode": task_code,
            "areaCode": self.area(evaluation.region.code),
            "deptCode": evaluation.department.code,
        }
        if self.sends_handle_item:
            fields["taskHandleItem"] = handle_item
        return fields

    def area(self, code: str) -> str:
        return code


# 即办件 / 承诺件 as each family codes it (they conflict: PROVINCIAL_INTERFACES.md).
PROMISE_FIRST: Codes = {ServiceMatter.Kind.PROMISE: "1", ServiceMatter.Kind.INSTANT: "2"}
INSTANT_FIRST: Codes = {ServiceMatter.Kind.INSTANT: "1", ServiceMatter.Kind.PROMISE: "2"}
PERSON_OR_LEGAL: Codes = {ApplicantType.PERSON: "1", ApplicantType.LEGAL_PERSON: "2"}
