"""Pages: the public registration form, the back office, the draw as a job, the file, exports."""

import json

import pytest
from django.urls import reverse

from faireavec.core.models import AuditEntry
from faireavec.sortition.models import Draw, PanelMember, Volunteer
from faireavec.sortition.tests.factories import make_pool

pytestmark = pytest.mark.django_db


def _url(name, org, **kwargs):
    return reverse(f"sortition:{name}", kwargs={"org_slug": org.slug, **kwargs})


def test_anonymous_registers_with_consent_recorded(org, people, client_for):
    """No account: the form takes name, contact, a value per category and the consent."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    client = client_for(None)
    url = _url("volunteer_register", org, pool_pk=pool.pk)
    page = client.get(url)
    assert page.status_code == 200 and b"<script" not in page.content
    data = {"name": "Zoé", "contact": "zoe@exemple.org"}
    for category in pool.categories.all():
        data[f"category_{category.pk}"] = category.values.first().pk
    refused = client.post(url, data)
    assert refused.status_code == 200 and not Volunteer.objects.filter(name="Zoé").exists()
    response = client.post(url, {**data, "consent": "on"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    volunteer = Volunteer.objects.get(name="Zoé")
    assert volunteer.consent_at and volunteer.consent_text and volunteer.source == "form"
    assert volunteer.features.count() == 2


def test_facilitator_draws_through_a_job_and_sees_the_result(
    org, people, client_for, settings, django_capture_on_commit_callbacks
):
    """The draw runs as a job; the result page shows the seed, the three methods and the file."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    pool = make_pool(organisation=org, actor=people["facilitator"])
    client = client_for(people["facilitator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url("draw_create", org, pool_pk=pool.pk),
            {"seed": "3 9 27", "seed_source": "Loto", "algorithm": "leximin"},
        )
    draw = Draw.objects.get(pool=pool)
    assert draw.status == Draw.Status.DONE
    assert response.status_code == 302
    page = client.get(_url("draw_detail", org, draw_pk=draw.pk))
    assert page.status_code == 200
    text = page.content.decode()
    assert ("3 9 27" in text and "Gini" in text) or "gini" in text.lower()
    document = json.loads(client.get(_url("draw_file", org, draw_pk=draw.pk)).content)
    assert document["seed"] == "3 9 27"
    assert client.get(_url("draw_export", org, draw_pk=draw.pk) + "?format=csv").status_code == 405
    export = client.post(_url("draw_export", org, draw_pk=draw.pk), {"format": "csv"})
    assert export.status_code == 200 and b"Personne" in export.content
    assert AuditEntry.objects.filter(action="core.export_of", target_id=str(draw.pk)).exists()
    member = PanelMember.objects.filter(draw=draw).first()
    replaced = client.post(
        _url("replacement_create", org, draw_pk=draw.pk, volunteer_pk=member.volunteer_id),
        {"reason": "Malade"},
    )
    assert replaced.status_code == 302 and draw.replacements.count() == 1


def test_member_reads_but_cannot_draw_and_other_org_gets_404(org, people, client_for):
    """Members see the pool; drawing is for facilitators; another organisation's admin gets 404."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    assert (
        client_for(people["member"]).get(_url("pool_detail", org, pool_pk=pool.pk)).status_code
        == 200
    )
    assert (
        client_for(people["member"]).get(_url("draw_create", org, pool_pk=pool.pk)).status_code
        == 403
    )
    assert (
        client_for(people["other_admin"]).get(_url("pool_detail", org, pool_pk=pool.pk)).status_code
        == 404
    )


def test_quotas_page_proposes_then_saves(org, people, client_for):
    """« Propose from the pool » fills the form; saving keeps the quotas; min above max is refused."""
    pool = make_pool(organisation=org, actor=people["facilitator"])
    client = client_for(people["facilitator"])
    url = _url("quotas_edit", org, pool_pk=pool.pk)
    proposed = client.post(url, {"action": "propose_pool"})
    assert proposed.status_code == 200
    values = [v for c in pool.categories.all() for v in c.values.all()]
    data = {"action": "save"}
    for v in values:
        data[f"min_{v.pk}"] = 1
        data[f"max_{v.pk}"] = 3
    assert client.post(url, data).status_code == 302
    data[f"min_{values[0].pk}"] = 5
    refused = client.post(url, data)
    assert refused.status_code == 200 and 'id="error-summary"' in refused.content.decode()


def test_verify_command_reproduces_the_draw(org, people, tmp_path):
    """`manage.py sortition_verify` re-runs the draw from its file and finds the same panel."""
    from io import StringIO

    from django.core.management import call_command

    from faireavec.sortition import services

    pool = make_pool(organisation=org, actor=people["facilitator"])
    draw = services.draw_compute(
        draw=Draw.objects.create(pool=pool, seed="s", seed_source="x", requested_by=people["admin"])
    )
    path = tmp_path / "tirage.json"
    path.write_text(json.dumps(draw.document))
    out = StringIO()
    call_command("sortition_verify", str(path), stdout=out)
    assert "same panel as recorded: yes" in out.getvalue()
    draw.document["panel"] = draw.document["panel"][1:]
    path.write_text(json.dumps(draw.document))
    with pytest.raises(Exception, match="does not give"):
        call_command("sortition_verify", str(path), stdout=StringIO())
