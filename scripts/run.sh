#!/usr/bin/env bash
# `make run`: database, migrations, demo data, then web server + Celery worker + beat until Ctrl-C.
set -euo pipefail
export DEBUG="${DEBUG:-1}"
export HOST="${HOST:-127.0.0.1}"
export PORT="${PORT:-8000}"
py=.venv/bin/python
mkdir -p var/log

bash scripts/check_services.sh
# As the owner (DATABASE_URL): create the database, migrate (which creates and grants the app role,
# README 安全), demo data. Everything started below connects as the app role.
export DATABASE_CONNECT_AS=owner
$py scripts/ensure_db.py
$py manage.py migrate --noinput
$py manage.py seed_demo
export DATABASE_CONNECT_AS=app

pids=()
cleanup() { trap - EXIT INT TERM; kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
trap 'echo; echo "stopping…"; cleanup; exit 0' INT TERM

.venv/bin/celery -A config worker --loglevel=info --concurrency=2 >var/log/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A config beat --loglevel=info --schedule=var/celerybeat-schedule >var/log/beat.log 2>&1 &
pids+=($!)
$py manage.py runserver "$HOST:$PORT" >var/log/web.log 2>&1 &
pids+=($!)

for _ in $(seq 1 60); do
  curl -fs "http://$HOST:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done
password=$($py -c "from evaluations.demo_data import DEMO_PASSWORD; print(DEMO_PASSWORD)")
cat <<TXT

好差评 is running: http://$HOST:$PORT/   (admin: http://$HOST:$PORT/admin/)
Reports: http://$HOST:$PORT/reports/   Public pages (no login): http://$HOST:$PORT/public/
Demo logins, password "$password" for all:
  admin             系统管理员 (everything)
  office_city       市政务服务管理办 (赣州市 and below)
  office_zhanggong  章贡区政务服务管理办 (章贡区 and below)
  dept_amr          部门承办人, 赣州市市场监督管理局
  hall_city         大厅负责人, 赣州市政务服务中心
  window_clerk      窗口工作人员
  hotline           12345 热线坐席
  auditor           审计员 (read-only)
  monitor           社会监督员, 赣州市 (监督查评: only the inspections assigned to them)
Logs: var/log/web.log, var/log/worker.log, var/log/beat.log. Ctrl-C stops everything.
TXT
wait -n "${pids[@]}" || true
echo "a process stopped unexpectedly; see var/log/ — shutting down the others" >&2
exit 1
