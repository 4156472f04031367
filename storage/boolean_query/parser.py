"""Recursive-descent parser: tokens → query tree, or a QueryError at the mistake's column.

    query  := or EOF
    or     := and ("OR" and)*
    and    := near (["AND"] near)*          adjacent terms are AND-ed
    near   := unary ["NEAR/n" unary]        both sides words or phrases
    unary  := ("NOT" | "-") unary | primary
    primary:= "(" or ")" | word | "phrase" | field

A term with no letters or digits (``!!!``, ``*``) is dropped, as the simple syntax always did.
"""

from __future__ import annotations

import re

from storage.boolean_query.errors import QueryError
from storage.boolean_query.fields import read_field
from storage.boolean_query.lexer import Token, tokenize
from storage.boolean_query.nodes import And, Near, Node, Not, Or, Term, includes
from storage.boolean_query.spellings import VERB_PREFIXES, other_spellings
from storage.query_normalizer import query_normalizer
from storage.search_dates import DEFAULT_TZ
from storage.search_fts import MAX_CLAUSES, Clause, tokens

MAX_DEPTH = 24
MAX_NEAR = 20
_STARTS = {"(", "NOT", "-", "WORD", "PHRASE", "FIELD", "NUMBER"}
#: a word after «می» that joins it («می رسه»): Arabic-script, not a Latin word or a number
_PERSIAN_LETTER = re.compile(r"[\u0600-\u06ff]")


def parse_query(text: str, tz: str = DEFAULT_TZ) -> Node | None:
    """The tree of ``text``; None for blank text. Raises QueryError."""
    if not text or not text.strip():
        return None
    parser = _Parser(text, tokenize(text), tz)
    node = parser.parse()
    if node is None:
        raise QueryError(
            f"search text {text[:80]!r} has no letters or digits to search for", None, "no_words"
        )
    if not includes(node):
        raise QueryError("a search needs at least one word to include, not only exclusions", None, "only_not")
    if parser.terms > MAX_CLAUSES:
        raise QueryError(f"a search may have at most {MAX_CLAUSES} words or phrases", None, "too_many")
    return node


def _describe(token: Token) -> str:
    return {"END": "the end", "(": "'('", ")": "')'"}.get(token.kind, repr(token.text or token.kind))


class _Parser:
    def __init__(self, text: str, toks: list[Token], tz: str) -> None:
        self.text, self.toks, self.tz, self.i, self.depth, self.terms = text, toks, tz, 0, 0, 0
        self.normalize = query_normalizer()

    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def error(self, reason: str, token: Token | None = None, code: str = "syntax", **args: str) -> QueryError:
        return QueryError(reason, (token or self.tok).pos + 1, code, **args)

    def parse(self) -> Node | None:
        if self.tok.kind == "END":
            return None
        node = self.or_()
        if self.tok.kind == ")":
            raise self.error("unexpected ')'", code="unexpected", token_text=")")
        if self.tok.kind != "END":  # e.g. a NEAR left over
            raise self.error(f"unexpected {_describe(self.tok)}", code="unexpected", token_text=self.tok.text)
        return node

    def operand(self, after: Token) -> None:
        if self.tok.kind not in _STARTS:
            raise self.error(
                f"a word, phrase or '(' expected after {after.kind}", code="operand", op=after.kind
            )

    def or_(self) -> Node | None:
        parts = [self.and_()]
        while self.tok.kind == "OR":
            op = self.tok
            self.i += 1
            self.operand(op)
            parts.append(self.and_())
        kept = tuple(p for p in parts if p is not None)
        return None if not kept else kept[0] if len(kept) == 1 else Or(kept)

    def and_(self) -> Node | None:
        if self.tok.kind not in _STARTS:
            raise self.error(f"unexpected {_describe(self.tok)}", code="unexpected", token_text=self.tok.text)
        parts = [self.near()]
        while self.tok.kind == "AND" or self.tok.kind in _STARTS:
            if self.tok.kind == "AND":
                op = self.tok
                self.i += 1
                self.operand(op)
            parts.append(self.near())
        kept: list[Node] = []
        for p in parts:  # flatten nested ANDs: one FTS expression, one level of SQL
            if isinstance(p, And):
                kept.extend(p.children)
            elif p is not None:
                kept.append(p)
        return None if not kept else kept[0] if len(kept) == 1 else And(tuple(kept))

    def near(self) -> Node | None:
        left = self.unary()
        if self.tok.kind != "NEAR":
            return left
        op = self.tok
        n = op.text.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
        if not (n.isascii() and n.isdigit()) or int(n) > MAX_NEAR:
            reason = f"NEAR/n needs a number n from 0 to {MAX_NEAR}"
            raise QueryError(reason, op.pos + 6, "near_n", max=str(MAX_NEAR))
        self.i += 1
        self.operand(op)
        right = self.unary()
        if self.tok.kind == "NEAR":
            reason = "NEAR joins two words or phrases; use AND between NEAR groups"
            raise self.error(reason, code="near_chain")
        if left is None or right is None:
            return left or right
        if not isinstance(left, Term) or not isinstance(right, Term):
            raise QueryError("NEAR joins two words or phrases", op.pos + 1, "near_terms")
        return Near(left, right, int(n), op.pos)

    def unary(self) -> Node | None:
        if self.tok.kind in ("NOT", "-"):
            op = self.tok
            self.i += 1
            self.operand(op)
            child = self.unary()
            if child is None:
                return None
            return child.child if isinstance(child, Not) else Not(child, op.pos)
        return self.primary()

    @staticmethod
    def alternatives(clause: Clause) -> tuple[Clause, ...]:
        """The clause's other spellings that the index holds as other tokens."""
        out = []
        for text in other_spellings(clause.text):
            found = tuple(tokens(text))
            if found and found != clause.tokens and all(found != c.tokens for c in out):
                out.append(Clause(found, text, prefix=clause.prefix))
        return tuple(out)

    def primary(self) -> Node | None:
        tok = self.tok
        if tok.kind == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(f"more than {MAX_DEPTH} nested parentheses", code="depth")
            self.i += 1
            if self.tok.kind == ")":
                raise self.error("empty parentheses", code="empty")
            node = self.or_()
            if self.tok.kind != ")":
                raise self.error("')' expected", code="close")
            self.i += 1
            self.depth -= 1
            return node
        if tok.kind in ("FIELD", "NUMBER"):
            self.i += 1
            self.terms += 1
            return read_field(tok, self.tz)
        if tok.kind in ("WORD", "PHRASE"):
            self.i += 1
            if (
                tok.kind == "WORD"
                and not tok.prefix
                and self.tok.kind == "WORD"
                and self.normalize(tok.text) in VERB_PREFIXES
                and _PERSIAN_LETTER.match(self.tok.text)
            ):
                # «می رسه» is one word written apart, as normalising stored text reads it («می‌رسه»)
                tok = Token("WORD", tok.pos, f"{tok.text} {self.tok.text}", prefix=self.tok.prefix)
                self.i += 1
            raw = tok.text.rstrip("*") if tok.kind == "WORD" and tok.prefix else tok.text
            normalised = self.normalize(raw)
            found = tokens(normalised)
            if not found:
                return None
            self.terms += 1
            clause = Clause(tuple(found), normalised, prefix=tok.prefix)
            return Term(clause, tok.pos, self.alternatives(clause))
        raise self.error(f"unexpected {_describe(tok)}", code="unexpected", token_text=tok.text)
