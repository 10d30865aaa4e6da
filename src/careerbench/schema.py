"""The canonical pay record and the vocabularies it uses.

Every source adapter turns its rows into records of this one shape (a ``pyarrow`` table with
``RECORD_SCHEMA``), so the store, the benchmark and the estimator never see a source's quirks.

Conventions:
- money is annual, in nominal US dollars of ``observed_year`` (the year the pay was reported);
  ``inflation.py`` converts to one year's dollars when reporting;
- ``total_comp`` = base + equity per year + bonus where the source gives components, otherwise
  the source's own total (aijobs: the midpoint of the posted range);
- ``range_low``/``range_high`` are set where the source gives a range rather than one figure;
- places use ISO 3166-1 alpha-2 countries, USPS state codes and CBSA metro codes.
"""

from __future__ import annotations

from enum import StrEnum

import pyarrow as pa

# Pay outside these bounds is absurd for one person's job: declared with the bounds of the
# numbers people give, used here to quarantine records.
from careerbench.limits import MAX_ANNUAL_PAY as MAX_ANNUAL_PAY
from careerbench.limits import MIN_ANNUAL_PAY as MIN_ANNUAL_PAY


class RoleFamily(StrEnum):
    ML_ENGINEER = "ml-engineer"
    AI_ENGINEER = "ai-engineer"
    RESEARCH_SCIENTIST = "research-scientist"
    RESEARCH_ENGINEER = "research-engineer"
    APPLIED_SCIENTIST = "applied-scientist"
    DATA_SCIENTIST = "data-scientist"
    MLOPS_ENGINEER = "mlops-engineer"
    DATA_ENGINEER = "data-engineer"
    SOFTWARE_ENGINEER = "software-engineer"
    DATA_ANALYST = "data-analyst"
    MANAGER = "manager"
    PRODUCT_MANAGER = "product-manager"
    HARDWARE_ENGINEER = "hardware-engineer"
    OTHER = "other"


#: Role families whose work is building or researching ML/AI systems.
ML_FAMILIES: frozenset[RoleFamily] = frozenset(
    {
        RoleFamily.ML_ENGINEER,
        RoleFamily.AI_ENGINEER,
        RoleFamily.RESEARCH_SCIENTIST,
        RoleFamily.RESEARCH_ENGINEER,
        RoleFamily.APPLIED_SCIENTIST,
        RoleFamily.MLOPS_ENGINEER,
    }
)


class Level(StrEnum):
    """The common level ladder every company ladder maps onto, lowest first."""

    INTERN = "intern"
    ENTRY = "entry"
    MID = "mid"
    SENIOR = "senior"
    STAFF = "staff"
    PRINCIPAL = "principal"
    DIRECTOR_PLUS = "director+"

    @property
    def rank(self) -> int:
        return list(Level).index(self)


class Tier(StrEnum):
    FRONTIER_LAB = "frontier-lab"
    BIG_TECH = "big-tech"
    AI_UNICORN = "ai-unicorn"
    TIER2_TECH = "tier2-tech"
    STARTUP = "startup"
    FINANCE_QUANT = "finance-quant"
    NON_TECH = "non-tech"
    ACADEMIA_GOV = "academia-gov"
    UNKNOWN = "unknown"


class Remote(StrEnum):
    ONSITE = "onsite"
    HYBRID = "hybrid"
    REMOTE = "remote"


class EmploymentType(StrEnum):
    FULL_TIME = "full-time"
    PART_TIME = "part-time"
    CONTRACT = "contract"
    FREELANCE = "freelance"
    INTERN = "intern"


class Source(StrEnum):
    AIJOBS = "aijobs"
    LEVELSFYI = "levelsfyi"
    CSV = "csv"
    POSTINGS = "postings"


#: The canonical record, column by column. Nullable unless the adapters guarantee a value.
RECORD_SCHEMA = pa.schema(
    [
        pa.field("source", pa.string(), nullable=False),
        pa.field("source_id", pa.string(), nullable=False),
        pa.field("observed_year", pa.int16(), nullable=False),
        pa.field("raw_title", pa.string()),
        pa.field("role_family", pa.string(), nullable=False),
        pa.field("level", pa.string()),
        pa.field("level_basis", pa.string()),
        pa.field("raw_level", pa.string()),
        pa.field("raw_company", pa.string()),
        pa.field("company", pa.string()),
        pa.field("tier", pa.string(), nullable=False),
        pa.field("employment_type", pa.string()),
        pa.field("country", pa.string()),
        pa.field("state", pa.string()),
        pa.field("city", pa.string()),
        pa.field("metro_code", pa.string()),
        pa.field("metro_name", pa.string()),
        pa.field("remote", pa.string()),
        pa.field("years_experience", pa.float32()),
        pa.field("years_at_company", pa.float32()),
        pa.field("education", pa.string()),
        pa.field("base", pa.float64()),
        pa.field("equity", pa.float64()),
        pa.field("bonus", pa.float64()),
        pa.field("total_comp", pa.float64(), nullable=False),
        pa.field("range_low", pa.float64()),
        pa.field("range_high", pa.float64()),
        pa.field("currency", pa.string()),
        pa.field("tag", pa.string()),
        pa.field("company_size", pa.string()),
        pa.field("weight", pa.int32(), nullable=False),
    ]
)
"""``level_basis`` says how ``level`` was found: ``ladder`` (the company's own ladder), ``pattern``
(a generic level string such as "Senior" or "L5"), ``title`` (a word in the job title),
``source`` (the source's own experience band) or ``experience`` (years of experience).

``weight`` is how many identical source rows one record stands for (exact duplicates are
collapsed into one record; statistics count each record once)."""

RECORD_COLUMNS: tuple[str, ...] = tuple(RECORD_SCHEMA.names)

#: The quarantine: every input row that was not loaded, with the reason and the raw row as JSON.
QUARANTINE_SCHEMA = pa.schema(
    [
        pa.field("source", pa.string(), nullable=False),
        pa.field("source_row", pa.int64(), nullable=False),
        pa.field("reason", pa.string(), nullable=False),
        pa.field("raw", pa.string(), nullable=False),
    ]
)
