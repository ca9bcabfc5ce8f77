"""Fallback policies as data: per association and language, ordered steps a waiting contact moves through.

A ``listeners`` step offers the contact to listeners who speak one of ``languages`` at ``min_proficiency`` or
better, for ``seconds``; then the next step applies. ``callback`` offers a call back in the caller's language,
keeping their place; ``crisis_line`` connects them to the crisis line. Terminal steps come last.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.tables import Proficiency


class ListenerStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["listeners"] = "listeners"
    languages: list[Annotated[str, Field(min_length=2, max_length=16)]] = Field(min_length=1, max_length=5)
    min_proficiency: Proficiency = Proficiency.fluent
    seconds: int = Field(ge=5, le=3600, description="How long this step applies before the next one")


class CallbackStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["callback"] = "callback"


class CrisisLineStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["crisis_line"] = "crisis_line"


PolicyStep = Annotated[ListenerStep | CallbackStep | CrisisLineStep, Field(discriminator="kind")]


class PolicySteps(BaseModel):
    """The steps, validated: at least one listener step first, terminal steps only at the end."""

    model_config = ConfigDict(extra="forbid")

    steps: list[PolicyStep] = Field(min_length=1, max_length=10)

    @model_validator(mode="after")
    def terminal_steps_come_last(self) -> PolicySteps:
        if not isinstance(self.steps[0], ListenerStep):
            raise ValueError("the first step must offer the contact to listeners")
        seen_terminal = False
        for step in self.steps:
            if isinstance(step, ListenerStep) and seen_terminal:
                raise ValueError("a listeners step cannot follow a callback or crisis_line step")
            seen_terminal = seen_terminal or not isinstance(step, ListenerStep)
        kinds = [step.kind for step in self.steps if not isinstance(step, ListenerStep)]
        if len(kinds) != len(set(kinds)):
            raise ValueError("callback and crisis_line may each appear once")
        return self


def default_policy(language: str) -> PolicySteps:
    """When an association sets none: same-language listeners, widening the proficiency, then a callback in the
    caller's language, then the crisis line. No silent switch to English: that must be the association's choice."""
    return PolicySteps(
        steps=[
            ListenerStep(languages=[language], min_proficiency=Proficiency.fluent, seconds=120),
            ListenerStep(languages=[language], min_proficiency=Proficiency.conversational, seconds=180),
            CallbackStep(),
            CrisisLineStep(),
        ]
    )
