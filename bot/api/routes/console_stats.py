"""The console's statistics screen (`/console/stats`); thin: the figures are in bot/staff/stats.py.

- GET /console/stats: the page (tables in the HTML, charts drawn by /console/static/stats.js with the
  vendored ECharts; its CSP alone allows scripts, from this site only).
- GET /console/api/stats: the charts' data (JSON).
- GET /console/stats/export/{table}.csv: one table as CSV (UTF-8 with BOM for Excel), recorded in the audit log.

Reviewers and admins see every figure; a clerk their own township's referral figures (bot.staff.stats.scope_of).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from bot.api.deps import AppServices, Db
from bot.safety.net import SafetyNet
from bot.intake.timelimits import TimeLimits
from bot.db.base import utcnow
from bot.privacy.mask import mask
from bot.staff import audit, stats
from bot.staff.audit import CHINA
from bot.staff.roles import ADMIN, CLERK, REVIEWER
from bot.staff.web import SCRIPT_PAGE_HEADERS, Staff, client_address, form_day, render, require_role, static_file

router = APIRouter(tags=["console"])
STATIC = Path(stats.__file__).resolve().parent / "static"
SCRIPTS = {"echarts.min.js": STATIC / "echarts.min.js", "stats.js": STATIC / "stats.js"}
may_see_stats = require_role(CLERK, REVIEWER, ADMIN)
ECHARTS_VERSION = "5.6.0"  # bot/staff/static/echarts.min.js, from the npm package echarts
PAGE_ROWS = 400  # rows of a table shown on the page (a year of days fits); the CSV has them all



def _report(net: SafetyNet, limits: TimeLimits, db: Session, staff: Staff, since: str, until: str,
            problems: list[str]) -> stats.Report:
    now = utcnow()
    period = stats.Period.of(form_day(since, "起始日期", problems), form_day(until, "截止日期", problems),
                             today=now.astimezone(CHINA).date())
    labels = {category.name: category.label for category in net.categories}
    return stats.collect(db, period, stats.scope_of(staff), now=now, category_labels=labels, limits=limits)


def _script(path: Path, cache: str = "no-cache") -> Response:
    return Response(path.read_bytes(), media_type="text/javascript; charset=utf-8",
                    headers={"cache-control": cache, "x-content-type-options": "nosniff"})


@router.get("/console/static/echarts.min.js", include_in_schema=False)
def echarts() -> Response:
    """A megabyte that changes only with its version (the page asks for ?v=ECHARTS_VERSION): kept a week."""
    return _script(SCRIPTS["echarts.min.js"], "private, max-age=604800")


@router.get("/console/static/stats.css", include_in_schema=False)
def stats_stylesheet() -> Response:
    return static_file(STATIC / "stats.css", "text/css")


@router.get("/console/static/stats.js", include_in_schema=False)
def stats_script() -> Response:
    return _script(SCRIPTS["stats.js"])


@router.get("/console/stats", include_in_schema=False)
def stats_page(request: Request, svc: AppServices, db: Db, staff: Staff = Depends(may_see_stats), since: str = "",
               until: str = "") -> Response:
    problems: list[str] = []
    report = _report(svc.net, svc.kb.referrals.time_limits, db, staff, since, until, problems)
    response = render(request, "stats.html", report=report, tables=stats.tables(report), problems=problems,
                      query=f"since={report.period.since.isoformat()}&until={report.period.until.isoformat()}",
                      limits=stats.limits_text(svc.kb.referrals.time_limits,
                                               {name: p.short_name for name, p in svc.kb.programmes.items()}), page_rows=PAGE_ROWS,
                      presets=stats.presets(utcnow().astimezone(CHINA).date()), echarts_version=ECHARTS_VERSION)
    response.headers.update(SCRIPT_PAGE_HEADERS)  # this page runs the app's own scripts
    return response


@router.get("/console/api/stats")
def stats_data(svc: AppServices, db: Db, staff: Staff = Depends(may_see_stats), since: str = "",
               until: str = "") -> JSONResponse:
    report = _report(svc.net, svc.kb.referrals.time_limits, db, staff, since, until, [])
    return JSONResponse(stats.chart_data(report), headers={"cache-control": "no-store"})


def _cell(value: object) -> str:
    """A CSV cell: personal numbers masked (none should be there: this is the last line), and no cell that a
    spreadsheet would run as a formula."""
    text = mask("" if value is None else str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@router.get("/console/stats/export/{name}.csv", include_in_schema=False)
def export(request: Request, name: str, svc: AppServices, db: Db, staff: Staff = Depends(may_see_stats),
           since: str = "", until: str = "") -> Response:
    report = _report(svc.net, svc.kb.referrals.time_limits, db, staff, since, until, [])
    table = stats.tables(report).get(name)
    if table is None:
        return Response("没有这张表。", status_code=404, media_type="text/plain; charset=utf-8",
                        headers={"cache-control": "no-store"})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in table.header])
    writer.writerows([_cell(c) for c in row] for row in table.rows)
    period = f"{report.period.since.isoformat()}～{report.period.until.isoformat()}"
    scope = report.scope.township_code or "全部"
    audit.record(db, staff, audit.EXPORT, f"stats:{name}",
                 f"统计表“{table.title}”CSV，{period}，范围：{scope}，{len(table.rows)} 行", address=client_address(request))
    db.commit()
    filename = f"stats-{name}-{report.period.since.isoformat()}-{report.period.until.isoformat()}.csv"
    return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": f'attachment; filename="{filename}"', "cache-control": "no-store",
                             "x-content-type-options": "nosniff"})
