"""Numbered options the resident answers by number or in words ("1 5", "老人和病人", "都没有").

Words are read with their negation: "没有车 就一套住房" names the car only to deny it, "以前吃过低保
去年停了" is not a current benefit, "儿子不管俺" is not "能管". A word denied and a word affirmed in one
answer ("没有小孩 都是老人") count separately, so a correction can also take one option away.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from bot.forms.engine import Parsed
from bot.text.answers import after_correction, clauses
from bot.text.normalize import fold
from bot.text.questions import asks

# A clause that says "none of these" (啥也没有, 一样都没有, 现在什么都没有, 都不是, 没有, 那倒没有). "没有" is 没 then
# the optional 有, and a lone 都 is the 也/都/全 after the "what".
_NONE = re.compile(r"^(?:她|他|俺|我|人家)?哪(?:还)?有(?:啥|什么)|^(?:这个|这些|那个)?"
                   r"(?:那|现在|目前|最近|今年|这一年|这阵|这阵子|这段时间|暂时|家里|俺家|我家|俺们|我们|咱家|真|确实|她|他|人家|她家|他家"
                   r"|他说|她说|人家说|老人说)?(?:倒是|倒)?"
                   r"(?:应该|好像|估计)?(?:啥|什么|哪样|哪个|一样|一个|一项|一点|全|这些|别的|其他|其它)?"
                   r"(?:也|都|全)?(?:没|无|木有|没得|不占|不是|不沾|够不上|没遇到|没遇上|没赶上|没摊上)(?:有)?(?:啥|什么)?"
                   r"(?:这些|那些|急事|事|新情况|情况|新事|变化)?(?:啊|呀|哇|的|了|呢|吧|哈)*$|^0$"
                   r"|^(?:最近|这阵|现在)?(?:倒是|倒|也)?没(?:出|遇到|遇上|碰到|碰上|摊上|赶上|发生)?(?:过)?(?:啥|什么)?(?:大|急)?事")
# Before the word ("没有汽车", "非开店的", "哪还有车", "哪能买得起楼"); 不 covers 不是.
# (时不时 / 不时 is "now and then": "闺女时不时给点" gives, it does not deny)
# 不过 is "but", 未成年 a minor: no denial
_NEGATOR = re.compile(r"没|无|(?<!时)不(?!时|过)|未(?!成年|婚)|木有|非|哪(?:有|来|养|买|开|能|还有)")
_PAST = re.compile(r"以前|原来|过去|早先|之前|曾经|前些年|那些年|早些年|从前|头些年")
_STOPPED = re.compile(r"停了|停掉|取消|咋(?:说)?停|说停就停|撤了|没了|不给了|不让吃|现在(?:没|不)|后来(?:没|不)|给停|被停|去掉了|卖了|卖掉|"
                      r"黄了|花光|花完|花没|倒闭|关了|不干了|拆了|不开了|不养了|申请了?还没|没批|正在申请|在申请|"
                      r"正申请|申请着|还没下来|病好了|治好了|好利索了|痊愈|(?:水|火|大水|洪水|人)?[撞烧砸淹冲]没了|[撞烧砸]毁了|报废")  # 有个车 被水冲没了
# Words after which a negation before them no longer reaches on ("没车但有楼房", "没有小孩都是老人",
# "车没有可开了个小卖部"); 可是, 都是, 倒是 end on 是 and 还有 on 有. An 有 that is itself denied does not
# reset ("没有", "哪还有车", "哪能有存款").
_RESET = re.compile(r"就|只|但|可|不过|(?<![没无不木哪说])(?<!哪还)(?<!哪能)有|(?<!不)是")  # 没听她说有五保: still denied
# A negation right after the word ("车没有", "存款也没", "低保去年给停了", "车早卖了").
_AFTER = re.compile(r"^(?:啥的|什么的|之类的|这些|那些|户)?(?:也|都|还|早|倒|早就|就|现在|去年|前年|已经|给|被|让|后来|早都)*"
                    r"(?:没几个|没多少|不多|哪有|哪来的?|不算|(?:没有|没|无|木有|不是|没得)(?:吃|享受|领|办|评|批|买|开|整|弄)?(?:过|上|着|下来)?(?=$|有|了|呢|啊|吧|的)"
                    r"|不(?:干|做|开|整|弄)了?(?=$|了|呢|啊|吧)|"
                    + _STOPPED.pattern + ")")
# A clause that only takes back the one before it ("有个小面包 早卖了", "车？没有", "存款有 不多").
_TAKE_BACK = re.compile(r"^(?:不对|其实)?(?:那也|也|都|还|早|早就|现在|去年|前年|已经|后来|被|给|让)*(?:没有|没了|不多|没多少|没几个|"
                        + _STOPPED.pattern + r")")
ONE = "请只选一个，回复数字就行："
_NUMERALS = str.maketrans("零〇一二三四五六七八九壹贰叁肆伍陆柒捌玖", "0012345678912345678" + "9")


@dataclass(frozen=True)
class Option:
    key: str
    label: str
    words: tuple[str, ...] = ()  # what people say instead of the number


@dataclass(frozen=True)
class Reading:
    """What one answer said about the options: affirmed, denied, or "none of these"."""
    picked: tuple[str, ...] = ()
    denied: tuple[str, ...] = ()
    none: bool = False
    only: bool = False  # "就一辆车 别的没有": what was picked is all there is


_LONE_NEGATOR = re.compile(r"没有?|无|不|木有|没得")


def _clauses(text: str) -> list[str]:
    """Folded clauses; a negator standing alone belongs to what follows it ("没 车 没 存款")."""
    parts: list[str] = []
    for part in (fold(p) for p in clauses(text)):
        if parts and _LONE_NEGATOR.fullmatch(parts[-1]):
            # "没 没啥事": a stammered negator is said once
            parts[-1] = part if _LONE_NEGATOR.match(part) and not _LONE_NEGATOR.fullmatch(part) else parts[-1] + part
        else:
            parts.append(part)
    return parts


# Another person named starts another statement, in run-on voice input about the household's members
# ("常年吃药一直不好儿子腿脚残疾": the son's disability is not denied by 不好)
_ANOTHER_PERSON = re.compile(r"儿子|闺女|女儿|姑娘|老伴|老头|老太太|老婆|媳妇|丈夫|男人|孩子|孙子|孙女|外孙|公公|婆婆|奶奶|爷爷"
                             r"|姥姥|姥爷|老爷子|[爹妈爸娘]")


def _negated(clause: str, start: int, end: int, whole: str, per_person: bool = False) -> bool:
    before = clause[:start]
    resets = [m.end() for m in _RESET.finditer(before)]
    if per_person:  # not one the negation is about: "没有孩子上学" has no pupil
        resets = sorted(resets + [m.start() for m in _ANOTHER_PERSON.finditer(before)
                                  if not re.search(r"(?:没有?|无|不是)$", before[:m.start()])])
    if _NEGATOR.search(before[resets[-1]:] if resets else before):
        return True
    if _AFTER.match(clause[end:]):
        return True
    # "以前吃过低保 去年停了"; the word itself may say it stopped ("前些年没了" is an answer, not a denial)
    return bool(_PAST.search(before)) and bool(_STOPPED.search(whole.replace(clause[start:end], "", 1)))


@dataclass(frozen=True)
class Choices:
    options: tuple[Option, ...]
    multiple: bool = False
    none_option: bool = False       # "0 都没有"
    none_words: tuple[str, ...] = ()  # answers that mean none for this question ("就一套房子住着")
    decoys: tuple[str, ...] = ()      # words that contain an option's word but are none ("三轮车" is not "车")
    # each clause may be about another person: "大孩子念书 小的还没上学" has a student though one is not
    per_person: bool = False
    first_wins: bool = False          # one answer only, and later words describe it: the first option named
    lasting: tuple[str, ...] = ()     # options a past word does not end ("前些年截了一条腿" is disabled now)

    def render(self) -> str:
        lines = [f"{n} {o.label}" for n, o in enumerate(self.options, 1)]
        if self.none_option:
            lines.append("0 都没有")
        return "\n".join(lines)

    def chips(self) -> list[dict]:
        """Buttons for the web chat: each option (toggles when several may be picked), then "都没有"."""
        chips = [{"title": o.label, "payload": str(n), **({"multi": True} if self.multiple else {})}
                 for n, o in enumerate(self.options, 1)]
        return chips + ([{"title": "都没有", "payload": "都没有"}] if self.none_option else [])

    def label(self, key: str) -> str:
        return next(o.label for o in self.options if o.key == key)

    def _by_number(self, text: str) -> list[str] | None:
        """Menu numbers, in digits or numerals ("1 5", "四和五", "俺就选2", "第三个"); None if it is not only
        numbers. Several numbers for a one-answer question are kept: parse asks for one."""
        key = unicodedata.normalize("NFKC", text).translate(_NUMERALS).strip()
        digits = re.sub(r"[\s,，、和与跟及还有。.；;]+|^(?:我|俺)?(?:就|只)?(?:选择|选|回复)?|第|(?<=\d)(?:个|项|号|条)", " ",
                        key).strip()
        if not re.fullmatch(r"[0-9 ]+", digits or "x") or re.search(r"[0-9]{3}", digits):  # no menu has 100 options
            return None
        numbers = [int(d) for d in re.findall(r"[0-9]+", digits)]
        if any(n > len(self.options) for n in numbers) or (0 in numbers and not self.none_option):
            return None
        if 0 in numbers and len(numbers) > 1:
            return None
        return [] if 0 in numbers else [self.options[n - 1].key for n in dict.fromkeys(numbers)]

    @cached_property
    def _patterns(self) -> tuple[tuple[re.Pattern[str], str | None], ...]:
        """The decoys (key None), then each option's words, folded and compiled once (read runs per keystroke
        pause in the agent assist)."""
        decoys = tuple((re.compile(re.escape(fold(d))), None) for d in self.decoys)
        return decoys + tuple((re.compile(re.escape(word)), option.key) for option in self.options
                              for word in dict.fromkeys(fold(w) for w in (option.label, *option.words)) if word)

    def _spans(self, clause: str) -> list[tuple[int, int, str | None]]:
        """Option words in one clause (key None: a decoy). A longer word hides the shorter ones inside it
        ("管不了" is not "管"); the same word may name two options (小学: a child and a pupil)."""
        spans: list[tuple[int, int, str | None]] = []
        for pattern, key in self._patterns:
            spans += [(m.start(), m.end(), key) for m in pattern.finditer(clause)]
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        kept: list[tuple[int, int, str | None]] = []
        for span in spans:
            inside = [k for k in kept if k[0] <= span[0] and span[1] <= k[1]]
            if not any(k[1] - k[0] > span[1] - span[0] or k[2] in (span[2], None) for k in inside):
                kept.append(span)
        return kept

    def read(self, text: str) -> Reading:
        """The options an answer in words affirms and denies, clause by clause."""
        text = text.replace("、", "和")  # "未享受低保、特困": a list of words under one negation
        later = after_correction(unicodedata.normalize("NFKC", text))
        if self._spans(fold(later)) or _NONE.match(fold(later)):
            text = later  # "1和5 不对 就1", "着火了 不对 是房子塌了": the last word counts
        whole = fold(text)
        picked: dict[str, None] = {}
        denied: dict[str, None] = {}
        said_none = False
        past: dict[str, None] = {}
        previous: list[str] = []
        for clause in _clauses(text):
            keys = []
            for start, end, key in self._spans(clause):
                if key is None:
                    continue
                (denied if _negated(clause, start, end, whole, self.per_person) else picked)[key] = None
                if _PAST.search(clause[:start]) and key not in self.lasting:
                    past[key] = None
                keys.append(key)
            if not keys and _TAKE_BACK.match(clause) and previous:  # "有个小面包 早卖了"
                for key in previous:
                    picked.pop(key, None)
                    denied[key] = None
            elif not keys and _TAKE_BACK.match(clause):  # "去年被取消了": nothing holds now
                said_none = True
            elif not keys and (_NONE.match(clause) or any(fold(w) in clause for w in self.none_words)):
                said_none = True
            previous = keys or previous
        if any(k not in past for k in picked):  # "以前是四级 今年评成二级了": what holds now wins
            picked = {k: None for k in picked if k not in past}
        picked_keys = tuple(k for k in picked if self.per_person or k not in denied)
        denied_keys = tuple(denied)
        if not picked_keys and not denied_keys and not said_none and len(_clauses(text)) > 1:
            return self.read(whole)  # "没 儿 没 女": spaces between every word
        none = not picked_keys and (said_none or bool(denied_keys))
        return Reading(picked_keys, denied_keys, none, only=bool(picked_keys) and said_none)

    def parse(self, text: str, example: str) -> Parsed:
        """A list of keys (multiple) or one key; [] / "none" for none; an error with the menu otherwise."""
        later = after_correction(text)
        picked = self._by_number(later)  # "1和5 不对 就1"; the text itself when it corrects nothing
        if picked is not None and len(picked) > 1 and not self.multiple:  # "1 2": numbers are no story to read
            return Parsed(error=f"{ONE}\n{self.render()}")
        if picked is None and asks(text):
            return Parsed(error=f"这个问题我先记着。咱们先把这一项答了，可以直接说，也可以回复数字：\n{self.render()}")
        if picked is None:
            reading = self.read(text)
            if reading.picked:
                picked = list(reading.picked)
            elif reading.none and (self.none_option or self.multiple):
                picked = []
            elif reading.none and any(o.key == "none" for o in self.options):
                picked = ["none"]  # "没 儿 没 女" where "没有" is itself an option
            else:
                return Parsed(error=f"没看明白。可以直接说，也可以回复前面的数字，比如“{example}”：\n{self.render()}")
        if self.multiple:
            return Parsed(value=picked)
        if not picked and self.none_option:
            return Parsed(value="none")
        if len(picked) == 2 and "none" in picked:  # "没有子女 就一个兄弟 也七十多了": who there is counts
            picked.remove("none")
        if len(picked) > 1 and self.first_wins:
            picked = picked[:1]
        if len(picked) != 1:
            return Parsed(error=f"{ONE}\n{self.render()}")
        return Parsed(value=picked[0])
