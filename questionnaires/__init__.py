"""问卷调查 — questionnaires on new policies and key services (知晓度、便利度、满意度; 51号 三(四)):
built and published by an office, answered anonymously at /s/<token>/, results per question.

A Django app of its own beside supervision: it has a public surface and its own answers table, like
the rating pages; staff pages sit under /supervision/questionnaires/.
"""
