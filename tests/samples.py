"""Small gazettes made up for tests (the bundled ones are large: indexing them takes minutes on 2 cores)."""

from __future__ import annotations


def tiny_gazette(clauses: int, issue: int, year: int = 2024) -> bytes:
    """A small but complete gazette issue: one notice (青政办〔year〕issue号) with `clauses` numbered clauses."""
    body = "\n\n".join(
        f"第{i + 1}条 第{i + 1}项试点补助标准为每人{100 + i}元，由省财政厅负责落实。" for i in range(clauses)
    )
    return f"""# 青海省人民政府公报

青海省人民政府办公厅 {year}年3月1日 第{issue}期（总第{600 + issue}期）

## 目 录

- 青海省人民政府办公厅关于试点补助标准的通知 ..... (3)

青海省人民政府办公厅关于试点补助标准的通知

青政办〔{year}〕{issue}号

各市、自治州人民政府，省政府各委、办、厅、局：

{body}

青海省人民政府办公厅

{year}年2月20日
""".encode()
