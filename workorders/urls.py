from django.urls import path

from .views import actions, bulk, detail, inbox

app_name = "workorders"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("board/", inbox.board, name="board"),
    path("bulk/", bulk.bulk, name="bulk"),
    path("<str:number>/", detail.detail, name="detail"),
    path("<str:number>/phone/", actions.reveal_phone, name="reveal_phone"),
    path("<str:number>/text/", actions.reveal_text, name="reveal_text"),
    path("<str:number>/act/<slug:name>/", actions.act, name="act"),
]
