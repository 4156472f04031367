"""Stored text loses the ezafe hamza on «ه» («خانهٔ» → «خانه»), as normalising now does.

The normaliser mapped the precomposed «ۀ» to «ه» but left «ه» + U+0654 (the same ezafe, typed
as two characters) as written. FTS5 drops the mark, so SQLite found «خانه» for «خانهٔ»; PostgreSQL's
``simple`` parser keeps it inside the word, so there a search for «خانه» missed every mention that
wrote «خانهٔ», and one for «خانهٔ» (now normalised to «خانه») would miss them all. This rewrites
the stored ``normalized_text`` of those mentions (about 0.1% of Persian social text: 123 of the
97,419 lines of ../shared/data/unlabelled hold the pair, 191 times in all): PostgreSQL recomputes
the generated ``search_vector``, SQLite's update trigger re-indexes FTS5. Only the mark after «ه»
goes; raw text is untouched.
Downgrade changes nothing: the text without the mark is what the normaliser of every revision
reads the query as. Self-contained: later changes to ``nlp.normalize`` do not change what this does.

Revision ID: 0012_ezafe_hamza
Revises: 0011_search_vector_day_brand
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_ezafe_hamza"
down_revision = "0011_search_vector_day_brand"
branch_labels = None
depends_on = None

HEH_HAMZA = "\u0647\u0654"


def upgrade() -> None:
    op.get_bind().execute(
        sa.text(
            "UPDATE mentions SET normalized_text = REPLACE(normalized_text, :pair, :heh) "
            "WHERE normalized_text LIKE :holding"
        ),
        {"pair": HEH_HAMZA, "heh": "\u0647", "holding": f"%{HEH_HAMZA}%"},
    )


def downgrade() -> None:
    pass
