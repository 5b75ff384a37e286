"""Results of a questionnaire, read in a fixed number of queries whatever the number of answers.

Percentages are of the people who answered the question (a multiple-choice question's add up to more
than 100 %). Free text is masked (evaluations.pii.mask_text), personal data with the masks of the
rating pages (138****1234, 张*): nobody reads a citizen's number from the results or the export.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Avg, Count, Prefetch

from evaluations.crypto import mask_name, mask_phone
from evaluations.pii import mask_text

from .models import SCALE, Answer, Kind, Question, Questionnaire

TEXTS_ON_PAGE = 200  # the newest; the export has every one


@dataclass
class Row:
    label: str
    count: int
    percent: float  # 0-100, of the people who answered the question


@dataclass
class QuestionResult:
    question: Question
    answered: int
    rows: list[Row] = field(default_factory=list)  # choices, or 5 … 1 for a scale
    average: float | None = None
    texts: list[str] = field(default_factory=list)  # masked, newest first

    @property
    def more_texts(self) -> int:
        return max(self.answered - len(self.texts), 0)


@dataclass
class Results:
    questionnaire: Questionnaire
    submissions: int
    questions: list[QuestionResult]


def masked_answer(question: Question, answer: Answer) -> str:
    """What a staff page or the export shows of a written answer."""
    if question.kind == Kind.PHONE:
        return mask_phone(answer.personal)
    if question.kind == Kind.NAME:
        return mask_name(answer.personal)
    return mask_text(answer.text)


def _percent(count: int, of: int) -> float:
    return round(100 * count / of, 1) if of else 0.0


def questionnaire_results(
    questionnaire: Questionnaire, *, texts_per_question: int = TEXTS_ON_PAGE
) -> Results:
    questions = list(questionnaire.questions.prefetch_related("choices"))
    answers = Answer.objects.filter(submission__questionnaire=questionnaire)
    answered = dict(
        answers.values_list("question")
        .annotate(n=Count("submission", distinct=True))
        .values_list("question", "n")
    )
    by_choice = dict(answers.filter(choice__isnull=False).values_list("choice").annotate(n=Count("pk")))
    by_scale: dict[tuple[int, int | None], int] = {
        (q, s): n
        for q, s, n in answers.filter(scale__isnull=False)
        .values_list("question", "scale")
        .annotate(n=Count("pk"))
        .values_list("question", "scale", "n")
    }
    averages = dict(
        answers.filter(scale__isnull=False)
        .values_list("question")
        .annotate(a=Avg("scale"))
        .values_list("question", "a")
    )
    texts: dict[int, list[str]] = defaultdict(list)
    written = [q for q in questions if q.kind in (Kind.TEXT, Kind.PHONE, Kind.NAME)]
    if written and texts_per_question:
        kinds = {q.pk: q for q in written}
        rows = answers.filter(question__in=written).order_by("question", "-submission__submitted_at", "-pk")
        for answer in rows.only("question", "text", "personal"):
            if len(texts[answer.question_id]) < texts_per_question:
                texts[answer.question_id].append(masked_answer(kinds[answer.question_id], answer))
    results = []
    for question in questions:
        n = answered.get(question.pk, 0)
        result = QuestionResult(question, n, texts=texts.get(question.pk, []))
        if question.has_choices:
            counts = [(c.text, by_choice.get(c.pk, 0)) for c in question.choices.all()]
            result.rows = [Row(label, count, _percent(count, n)) for label, count in counts]
        elif question.kind == Kind.SCALE:
            counts = [(str(s), by_scale.get((question.pk, s), 0)) for s in reversed(SCALE)]
            result.rows = [Row(label, count, _percent(count, n)) for label, count in counts]
            average = averages.get(question.pk)
            result.average = round(float(average), 2) if average is not None else None
        results.append(result)
    return Results(questionnaire, questionnaire.submissions.count(), results)


@dataclass
class SubmissionRow:
    number: int
    submitted_at: datetime
    cells: list[str]  # one per question, in order: the choice texts, the scale, the masked text


def submission_rows(questionnaire: Questionnaire, questions: list[Question]) -> Iterator[SubmissionRow]:
    """Every submission with its answers, oldest first, for the export (read in chunks of 500, each
    with one query for its answers). A submission that left every optional question empty is a row too."""
    column = {q.pk: i for i, q in enumerate(questions)}
    kinds = {q.pk: q for q in questions}
    ordered = Answer.objects.select_related("choice").order_by("question__position", "choice__position")
    submissions = questionnaire.submissions.order_by("submitted_at", "pk").prefetch_related(
        Prefetch("answers", queryset=ordered)
    )
    for number, submission in enumerate(submissions.iterator(chunk_size=500), start=1):
        parts: list[list[str]] = [[] for _ in questions]
        for answer in submission.answers.all():
            if answer.choice is not None:
                value = answer.choice.text
            elif answer.scale is not None:
                value = str(answer.scale)
            else:
                value = masked_answer(kinds[answer.question_id], answer)
            parts[column[answer.question_id]].append(value)
        yield SubmissionRow(number, submission.submitted_at, ["、".join(p) for p in parts])
