"""The example study in ``examples/`` runs on the sample build and answers what the API answers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_questions_example_answers_what_the_api_does(built: Path, client):
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "questions.py"), str(built)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    first, rest = out.split("\n2. ")
    second, rest = rest.split("\n3. ")
    third, fourth = rest.split("\n4. ")
    (unit,) = client.get("/units", params={"name": "区人社局", "region": "恩阳区"}).json()["items"]
    led = client.get(f"/units/{unit['id']}/measures", params={"role": "lead"}).json()["items"]
    assert len(first.splitlines()) - 1 == len(led) == 6
    assert all(m["title"] in first for m in led)
    # 自贡 prints baselines and targets with the unit in its own column; 岳池 only targets, unit in the figure
    assert "养老服务床位总量: 岳池县 – → 0.5万张 万张 预期性 | 自贡市 2.1 → 2.3 万张 预期性" in second
    assert "岳池县贯彻落实《广安市“十四五”公共服务规划》实施方案: " in third
    every = client.get("/units", params={"name": "区人社局"}).json()["items"]
    led_by_any = {
        m["id"]
        for u in every
        for m in client.get(f"/units/{u['id']}/measures", params={"role": "lead"}).json()["items"]
    }
    assert fourth.startswith(f"As a DataFrame: {len(led_by_any)} measures led by a 人社局, columns document_id")


def test_frame_flattens_model_objects_tuples_and_dicts():
    import policygraph as pg

    unit = pg.Unit("unit-1", "区人社局", "恩阳区", "人社局", "unit", [])
    table = pg.frame([(unit, "lead", None), {"name": "x"}])
    assert list(table.columns)[:3] == ["unit_id", "unit_name", "unit_region"]
    assert table.loc[0, "value_2"] == "lead" and table.loc[1, "name"] == "x"
