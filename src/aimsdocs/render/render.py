"""Render one planned document: template -> Markdown -> RenderedDocument."""

from __future__ import annotations

import re
import traceback

import jinja2
from jinja2.sandbox import SecurityError

from aimsdocs.errors import InputError
from aimsdocs.plan import Plan, PlannedDocument
from aimsdocs.render.budget import BudgetExceeded, RenderBudget, collect, time_limit
from aimsdocs.render.context import build_context
from aimsdocs.render.document import DocumentControl


def render_markdown(env: jinja2.Environment, plan: Plan, document: PlannedDocument,
                    control: DocumentControl, extra: dict | None = None) -> str:
    """The document body as Markdown. Template problems become InputError with file and line."""
    try:
        template = env.get_template(document.spec.name)
        context = build_context(plan, document, control)
        context.update(extra or {})
        budget = RenderBudget()
        env.globals["range"] = budget.range  # macros imported without context see it too
        with time_limit():
            text = collect(template.generate(context))
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"template syntax error: {exc.message}", file=exc.filename or
                         document.spec.path, line=exc.lineno,
                         hint="check the {% %} / {{ }} tags on that line") from None
    except jinja2.UndefinedError as exc:
        file, line = _template_frame(exc, document)
        raise InputError(f"template uses an undefined value: {exc.message}", file=file,
                         line=line, hint="check the variable name; `docs/templates.md` lists "
                         "what templates can use") from None
    except SecurityError as exc:
        file, line = _template_frame(exc, document)
        raise InputError(f"template tried something the sandbox forbids: {exc}", file=file,
                         line=line, hint="templates may read values, not call internals") from None
    except jinja2.TemplateNotFound as exc:
        file, line = _template_frame(exc, document)
        from aimsdocs.render.templates import TemplateOutsideSearchPath

        reason = exc.message if isinstance(exc, TemplateOutsideSearchPath) and exc.message \
            else f"template '{exc.name}' not found in the template folders"
        raise InputError(f"template include refused: {reason}", file=file, line=line,
                         hint="include or import only templates from the template folders, "
                              "by a plain name such as \"_macros.md.j2\"") from None
    except BudgetExceeded as exc:
        file, line = _template_frame(exc, document)
        raise InputError(f"template {exc}; refused", file=file, line=line,
                         hint="a document's template must finish quickly; check the loops "
                              "and repetitions on that line") from None
    except RecursionError:
        raise InputError("template recursion too deep (a macro or include calls itself?)",
                         file=document.spec.path, hint="check macros and includes") from None
    except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, AttributeError,
            ValueError, StopIteration) as exc:
        file, line = _template_frame(exc, document)
        raise InputError(f"template error: {type(exc).__name__}: {exc}", file=file, line=line,
                         hint="check the expression on that line") from None
    return tidy(text)


def _template_frame(exc: BaseException, document: PlannedDocument):
    """Jinja rewrites tracebacks so template frames carry the template's file and line."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(".j2"):
            return frame.filename, frame.lineno
    return document.spec.path, None


_BLANK_RUN = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """Collapse the blank-line runs that template control flow leaves behind."""
    # trailing blanks line by line: a pattern for them tried a match at every space
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", text).strip() + "\n"


