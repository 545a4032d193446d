"""A small valid pack an author can copy from (``drillcoach packs new``)."""

from __future__ import annotations

from drillcoach.content.models import FORMAT


def skeleton_pack(pack_id: str, title: str, skill: str) -> str:
    """A small valid pack an author can start from, written with tomli-w."""
    import tomli_w

    document = {
        "format": FORMAT,
        "pack": {
            "id": pack_id,
            "title": title,
            "version": "1",
            "description": f"{title}: describe who this pack is for and what it trains.",
            "segment": "Who the buyers are, like Mid-market logistics",
            "personas": "The main buyer personas, like CFO, operations lead",
            "rubric": "laer",
        },
        "drill": [
            {
                "id": "first-objection",
                "kind": "objection",
                "skill": skill,
                "title": "Write the objection as a short title",
                "persona": "Who says it: role, company size, what they care about",
                "situation": "Where in the deal this comes up",
                "prompt": "The buyer's exact words, as you hear them on calls.",
                "key_points": [
                    "Acknowledges the concern before answering",
                    "Asks one question to understand what is behind it",
                    "Confirms the answer landed before moving on",
                ],
                "model_answer": "What a top rep would actually say, in two to five sentences.",
                "time_limit": 45,
                "tags": ["example"],
            },
            {
                "id": "first-written",
                "kind": "written",
                "skill": skill,
                "title": "Name the email or message to write",
                "persona": "Who reads it: role, company size, what they care about",
                "situation": "What just happened, and what the rep wants to happen next",
                "prompt": "What to write, like: the recap email you send within the hour.",
                "key_points": [
                    "Subject line names the buyer's problem, not the product",
                    "Plays back what the buyer said in their own words",
                    "Ends with one next step, its date and who owns it",
                ],
                "model_answer": (
                    "Subject: What a top rep would put in the subject line\n\n"
                    "Hi Dana,\n\nThe message a top rep would send, within the word limit."
                ),
                "word_limit": 150,
                "tags": ["example"],
            },
            {
                "id": "first-roleplay",
                "kind": "roleplay",
                "skill": skill,
                "title": "A short conversation to practice",
                "persona": "Who the rep is talking to",
                "key_points": ["States the reason for the call in one sentence"],
                "time_limit": 180,
                "turn": [
                    {"buyer": "The buyer's opening line.", "model": "A model reply."},
                    {"buyer": "The buyer's next line.", "model": "A model reply."},
                ],
            },
        ],
    }
    return tomli_w.dumps(document, multiline_strings=True)
