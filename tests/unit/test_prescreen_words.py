"""The pre-screen's tables, word by word (bot/forms/prescreen.py): for every word of every `Choices` table
(each option's words, the none-words and the decoys) one natural answer, the way rural Northeast residents and the
relatives asking for them answer the question, in which that word alone decides the reading. A word the reader stops
knowing fails its own row. Words no answer can single out (a shorter word of the same option inside them, or read
first by another reader) are left out as equivalent mutants."""
from __future__ import annotations

import pytest

from bot.forms.prescreen import PRESCREEN
from tests.evaluation.forms_env import form_env


@pytest.fixture(scope="module")
def env():
    return form_env()


def read(env, slot: str, text: str):
    """The answer as the question's own parser takes it; "error" when it asks again."""
    parsed = PRESCREEN.question(slot).parse(text, dict(env))
    return parsed.value if parsed.ok else "error"


# whose home: the speaker's own (self)
WHOSE_SELF = [
    ('我家', '我家的事', 'self'),
    ('俺家', '俺家的', 'self'),
    ('自己', '自己家', 'self'),
    ('自个', '自个家的', 'self'),
    ('本人', '本人', 'self'),
    ('咱家', '咱家的事', 'self'),
    ('我们家', '就是我们家', 'self'),
    ('俺们家', '俺们家', 'self'),
    ('自家', '自家的', 'self'),
    ('自已', '自已家', 'self'),
    ('俺自', '俺自各儿家', 'self'),
    ('我自', '我自各儿家的', 'self'),
]

# whose home: someone else's (relative)
WHOSE_RELATIVE = [
    ('亲戚', '给亲戚问的', 'relative'),
    ('朋友', '朋友的事', 'relative'),
    ('邻居', '邻居家的', 'relative'),
    ('隔壁', '隔壁老王家', 'relative'),
    ('对门', '对门老李家', 'relative'),
    ('别人', '别人家的事', 'relative'),
    ('帮', '帮老张问问', 'relative'),
    ('替', '替老刘问的', 'relative'),
    ('父母', '父母的事', 'relative'),
    ('爹', '俺爹的事', 'relative'),
    ('娘', '给俺娘问的', 'relative'),
    ('婆婆', '俺婆婆家', 'relative'),
    ('公公', '俺公公', 'relative'),
    ('爷爷', '俺爷爷那边', 'relative'),
    ('奶奶', '俺奶奶', 'relative'),
    ('姥姥', '我姥姥家', 'relative'),
    ('姥爷', '我姥爷', 'relative'),
    ('舅', '俺老舅家', 'relative'),
    ('姨', '我二姨家', 'relative'),
    ('姑', '我大姑家', 'relative'),
    ('叔', '俺三叔家', 'relative'),
    ('大爷', '给俺大爷问问', 'relative'),
    ('老人家', '问的是个老人家', 'relative'),
    ('村里', '村里的一户', 'relative'),
    ('屯里', '屯里一家', 'relative'),
    ('他家', '他家的事', 'relative'),
    ('她家', '她家的', 'relative'),
    ('网格', '网格员问的', 'relative'),
    ('姐', '我姐家', 'relative'),
    ('哥', '俺哥家', 'relative'),
    ('妹', '我妹', 'relative'),
    ('弟', '俺弟家', 'relative'),
    ('丈人', '老丈人家', 'relative'),
    ('丈母', '给老丈母问的', 'relative'),
    ('儿子家', '是儿子家', 'relative'),
    ('闺女家', '闺女家的事', 'relative'),
    ('女儿家', '女儿家', 'relative'),
    ('侄', '俺侄子家', 'relative'),
    ('外甥', '外甥家', 'relative'),
    ('孙', '给孙子问的', 'relative'),
    ('给人', '给人问的', 'relative'),
    ('妈', '我妈的事', 'relative'),
    ('爸', '我爸', 'relative'),
    ('学生', '一个学生家', 'relative'),
    ('班上', '俺班上的孩子', 'relative'),
    ('病人', '给病人问的', 'relative'),
    ('家属', '是家属', 'relative'),
    ('社工', '我是社工', 'relative'),
    ('患者', '给患者问', 'relative'),
]

# whose home: 帮我/她自己… are no option word of their own
WHOSE_DECOYS = [
    ('帮我', '帮我看看 是我家的', 'self'),
    ('帮俺', '帮俺看看 俺家的', 'self'),
    ('帮帮', '帮帮忙 俺家的事', 'self'),
    ('帮忙看', '帮忙看看 我家的', 'self'),
    ('帮着看', '帮着看看 是俺家', 'self'),
    ('她自己', '我是她邻居 她自己一个人过', 'relative'),
    ('他自己', '他自己过 我是他侄子', 'relative'),
]

# members: an old person
MEMBER_CHOICES_ELDERLY = [
    ('老人', '家里有个老人', ['elderly']),
    ('岁数大', '俺俩岁数大了', ['elderly']),
    ('上岁数', '老伴上岁数了', ['elderly']),
    ('六十', '俺六十多了', ['elderly']),
    ('七十', '老头七十多了', ['elderly']),
    ('八十', '婆婆八十多了', ['elderly']),
    ('九十', '老太太九十多了', ['elderly']),
    ('奔七', '俺俩都奔七了', ['elderly']),
    ('奔八', '老头奔八了', ['elderly']),
    ('老两口', '就俺老两口', ['elderly']),
    ('俩老', '俩老在家', ['elderly']),
    ('老的', '有个老的', ['elderly']),
    ('一个老太太', '还有一个老太太', ['elderly']),
    ('一个老头', '家里一个老头', ['elderly']),
    ('孤老', '俺是孤老', ['elderly']),
]

# members: a child under 16
MEMBER_CHOICES_CHILD = [
    ('小孩', '有个小孩', ['child']),
    ('孩子小', '孩子小 还不懂事', ['child']),
    ('娃', '俩娃', ['child']),
    ('吃奶', '有个吃奶的', ['child']),
    ('婴儿', '还有个婴儿', ['child']),
    ('幼儿园', '孙子上幼儿园', ['child']),
    ('小学', '闺女念小学', ['child', 'student']),
    ('初中', '儿子上初中', ['child', 'student']),
    ('初一', '孙女初一', ['child', 'student']),
    ('初二', '孙子初二了', ['child', 'student']),
    ('初三', '闺女初三', ['child', 'student']),
    ('年级', '孙子上三年级', ['child', 'student']),
    ('刚生', '儿媳妇刚生', ['child']),
    ('刚出生', '孙子刚出生', ['child']),
    ('新生儿', '有个新生儿', ['child']),
    ('满月', '孙女刚满月', ['child']),
]

# members: a child at school
MEMBER_CHOICES_STUDENT = [
    ('上学', '大儿子还上学呢', ['student']),
    ('学生', '闺女是学生', ['student']),
    ('念书', '闺女在外地念书', ['student']),
    ('读书', '儿子在读书', ['student']),
    ('高中', '闺女上高中', ['student']),
    ('初中', '小儿子念初中', ['child', 'student']),
    ('小学', '孙女上小学', ['child', 'student']),
    ('中专', '儿子念中专', ['student']),
    ('大学', '闺女念大学', ['student']),
    ('技校', '儿子上技校', ['student']),
    ('职高', '闺女念职高', ['student']),
    ('大专', '闺女念大专', ['student']),
    ('高一', '儿子高一', ['student']),
    ('高二', '闺女高二', ['student']),
    ('高三', '儿子高三', ['student']),
    ('初一', '孙子初一', ['child', 'student']),
    ('初二', '闺女初二', ['child', 'student']),
    ('初三', '孙女初三了', ['child', 'student']),
    ('年级', '孙女念五年级', ['child', 'student']),
    ('念高', '闺女念高', ['student']),
    ('读高', '儿子读高', ['student']),
]

# members: a disabled person
MEMBER_CHOICES_DISABLED = [
    ('瘫', '老伴瘫炕上了', ['disabled']),
    ('残', '老头腿残了', ['disabled']),
    ('聋', '老头耳朵聋', ['disabled']),
    ('哑', '儿子是哑巴', ['disabled']),
    ('瞎', '老太太眼睛瞎了', ['disabled']),
    ('傻', '儿子有点傻', ['disabled']),
    ('智障', '闺女智障', ['disabled']),
    ('精神病', '儿子有精神病', ['disabled']),
    ('截肢', '老伴截肢了', ['disabled']),
    ('腿脚不好', '老头腿脚不好', ['disabled']),
    ('孤独症', '孙子孤独症', ['disabled']),
    ('自闭症', '孙女自闭症', ['disabled']),
    ('特教', '闺女上特教学校', ['disabled']),
    ('特殊教育', '孙子在特殊教育学校', ['disabled']),
    ('智力', '儿子智力有问题', ['disabled']),
    ('半身不遂', '老头半身不遂', ['disabled']),
    ('听不着', '老太太耳朵听不着', ['disabled']),
    ('听不见', '老头耳朵听不见', ['disabled']),
    ('看不着', '老头眼睛看不着', ['disabled']),
    ('看不见', '老伴眼睛看不见', ['disabled']),
    ('失明', '老伴双目失明', ['disabled']),
    ('瘸', '儿子腿瘸', ['disabled']),
    ('一拐一拐', '老头走道一拐一拐的', ['disabled']),
    ('腿不行', '老伴腿不行了', ['disabled']),
    ('腿脚不行', '老头腿脚不行', ['disabled']),
    ('起不来炕', '老伴起不来炕', ['disabled']),
    ('半拉身子', '老头半拉身子不好使', ['disabled']),
    ('脑子有病', '儿子脑子有病', ['disabled']),
    ('精神上有毛病', '闺女精神上有毛病', ['disabled']),
    ('精神有毛病', '儿子精神有毛病', ['disabled']),
    ('精神上有病', '儿子精神上有病', ['disabled']),
    ('脑子不好使', '老头脑子不好使', ['disabled']),
    ('截了', '老头一条腿截了', ['disabled']),
    ('截掉', '老伴脚趾头截掉了', ['disabled']),
    ('锯了', '儿子腿锯了', ['disabled']),
    ('少条腿', '儿子少条腿', ['disabled']),
    ('少一条腿', '老头少一条腿', ['disabled']),
    ('少个胳膊', '儿子少个胳膊', ['disabled']),
]

# members: a seriously ill person
MEMBER_CHOICES_ILL = [
    ('病', '老伴有病', ['ill']),
    ('癌', '老头得了癌', ['ill']),
    ('住院', '老伴住院呢', ['ill']),
    ('透析', '儿子透析', ['ill']),
    ('化疗', '老伴在化疗', ['ill']),
    ('脑梗', '老头脑梗', ['ill']),
    ('脑出血', '老头脑出血', ['ill']),
    ('心脏', '老伴心脏不好', ['ill']),
    ('尿毒症', '儿子尿毒症', ['ill']),
    ('卧床', '老太太卧床', ['ill']),
    ('偏瘫', '老头偏瘫', ['ill']),
    ('肝硬化', '老伴肝硬化', ['ill']),
    ('瘤', '老头长了个瘤', ['ill']),
    ('中风', '老头中风了', ['ill']),
    ('心梗', '老伴心梗', ['ill']),
    ('哮喘', '老伴哮喘', ['ill']),
    ('肺气肿', '老头肺气肿', ['ill']),
    ('结核', '儿子肺结核', ['ill']),
    ('支架', '老头下了支架', ['ill']),
    ('搭桥', '老伴做了搭桥', ['ill']),
    ('医院躺', '老伴在医院躺着呢', ['ill']),
    ('伤挺重', '儿子伤挺重', ['ill']),
    ('伤得重', '儿子伤得重', ['ill']),
    ('伤得挺重', '老头伤得挺重', ['ill']),
    ('重伤', '儿子重伤', ['ill']),
    ('血栓', '老头血栓', ['ill']),
    ('脑溢血', '老伴脑溢血', ['ill']),
    ('帕金森', '老头帕金森', ['ill']),
    ('狼疮', '闺女红斑狼疮', ['ill']),
    ('渐冻', '儿子渐冻症', ['ill']),
    ('痴呆', '老太太老年痴呆', ['ill']),
]

# members: able to work, no work
MEMBER_CHOICES_JOBLESS = [
    ('失业', '儿子失业了', ['jobless']),
    ('没活', '老头没活干', ['jobless']),
    ('没工作', '儿子没工作', ['jobless']),
    ('下岗', '媳妇下岗了', ['jobless']),
    ('找不着活', '儿子找不着活', ['jobless']),
    ('没班上', '儿子没班上', ['jobless']),
    ('在家闲着', '儿子在家闲着', ['jobless']),
    ('打不着工', '儿子打不着工', ['jobless']),
    ('没找着', '儿子还没找着活', ['jobless']),
    ('找不着工作', '闺女找不着工作', ['jobless']),
    ('没找到工作', '儿子没找到工作', ['jobless']),
    ('不干活', '儿子不干活', ['jobless']),
    ('啥活不干', '儿子啥活不干', ['jobless']),
    ('啥也不干', '儿子啥也不干', ['jobless']),
    ('待业', '闺女待业在家', ['jobless']),
    ('没个正经活', '儿子没个正经活', ['jobless']),
    ('没正经活', '儿子没正经活', ['jobless']),
    ('没个活', '儿子没个活', ['jobless']),
    ('没固定活', '儿子没固定活', ['jobless']),
    ('没个固定活', '儿子没个固定活', ['jobless']),
    ('找不着正经活', '儿子找不着正经活', ['jobless']),
    ('找不到正经活', '儿子找不到正经活', ['jobless']),
    ('找不到活', '儿子找不到活', ['jobless']),
    ('没人要', '儿子出去打工没人要', ['jobless']),
    ('没人雇', '儿子没人雇', ['jobless']),
    ('想干活', '儿子想干活没处干', ['jobless']),
]

# members: a child without parents' care
MEMBER_CHOICES_UNPARENTED = [
    ('孤儿', '孙子是孤儿', ['unparented']),
    ('没爹', '孙子没爹', ['unparented']),
    ('没妈', '孙女没妈', ['unparented']),
    ('没父母', '侄子没父母', ['unparented']),
    ('没人管的孩子', '有个没人管的孩子', ['unparented']),
    ('爹妈都没了', '有个侄子 爹妈都没了', ['unparented']),
    ('父母双亡', '孙子父母双亡', ['unparented']),
    ('留守', '孙子留守', ['unparented']),
    ('判刑', '侄子他爸判刑了', ['unparented']),
    ('坐牢', '外甥他爸坐牢呢', ['unparented']),
    ('服刑', '外甥他爹服刑呢', ['unparented']),
    ('蹲监狱', '侄子他爸蹲监狱', ['unparented']),
    ('改嫁', '侄女她妈改嫁了', ['unparented']),
    ('爹妈都不在', '侄子爹妈都不在', ['unparented']),
    ('父母都不在', '外甥父母都不在', ['unparented']),
    ('爸妈都不在', '侄女爸妈都不在', ['unparented']),
    ('都不在身边', '孙子爸妈打工 都不在身边', ['unparented']),
]

# members: a long-standing ailment, or the stroke behind a disability, is no serious illness
MEMBER_CHOICES_DECOYS = [
    ('老毛病', '老伴就是老毛病 别的没有', []),
    ('慢性病', '老头有慢性病 别的没有', []),
    ('小病', '都是小病 别的没有', []),
    ('脑梗以后', '老头脑梗以后半身不遂', ['disabled']),
    ('脑梗之后', '老伴脑梗之后瘫了', ['disabled']),
    ('脑梗后', '老头脑梗后腿脚不好', ['disabled']),
    ('中风以后', '老太太中风以后起不来炕', ['disabled']),
    ('中风之后', '老头中风之后半身不遂', ['disabled']),
    ('中风后', '老伴中风后瘸了', ['disabled']),
    ('脑出血以后', '老头脑出血以后半拉身子不好使', ['disabled']),
    ('脑出血后', '老伴脑出血后瘫了', ['disabled']),
    ('血栓以后', '老伴血栓以后腿脚不行了', ['disabled']),
    ('快看不见', '老太太眼睛快看不见了 别的没有', []),
    ('快看不着', '老头眼睛快看不着了 别的没有', []),
    ('快听不见', '老伴耳朵快听不见了 别的没有', []),
    ('快听不着', '老头耳朵快听不着了 别的没有', []),
]

# disability grade: 一级/二级
DISABILITY_SEVERE = [
    ('一级', '一级的', 'severe'),
    ('二级', '残疾证是二级', 'severe'),
    ('1级', '1级', 'severe'),
    ('2级', '证上写的2级', 'severe'),
    ('重度', '重度残疾', 'severe'),
    ('特重', '特重', 'severe'),
    ('一极', '一极', 'severe'),
    ('二极', '二极的', 'severe'),
    ('壹级', '壹级', 'severe'),
    ('贰级', '贰级', 'severe'),
]

# disability grade: 三级/四级
DISABILITY_MILD = [
    ('三级', '三级的', 'mild'),
    ('四级', '残疾证是四级', 'mild'),
    ('3级', '3级', 'mild'),
    ('4级', '证上写的4级', 'mild'),
    ('轻度', '轻度残疾', 'mild'),
    ('中度', '中度', 'mild'),
    ('三极', '三极', 'mild'),
    ('四极', '四极的', 'mild'),
    ('叁级', '叁级', 'mild'),
    ('肆级', '肆级', 'mild'),
]

# disability: no certificate yet
DISABILITY_NONE = [
    ('没证', '没证', 'none'),
    ('没办', '没办呢', 'none'),
    ('没有证', '俺们没有证', 'none'),
    ('没残疾证', '没残疾证', 'none'),
    ('没评', '还没评呢', 'none'),
    ('没鉴定', '没鉴定过', 'none'),
    ('没下来', '证还没下来', 'none'),
    ('正在办', '正在办呢', 'none'),
    ('没整', '没整那玩意', 'none'),
    ('没顾上', '一直没顾上办', 'none'),
    ('还没有', '还没有呢', 'none'),
    ('去鉴定', '还没去鉴定', 'none'),
    ('评不上', '评不上', 'none'),
    ('没去办', '一直没去办', 'none'),
]

# supporter: kin who cannot support (CANNOT_SUPPORT)
CANNOT_SUPPORT_POOR = [
    ('顾不上', '儿子在外地打工 顾不上', 'poor'),
    ('顾不过来', '闺女自个家都顾不过来', 'poor'),
    ('管不了', '儿子管不了', 'poor'),
    ('养不起', '儿子养不起', 'poor'),
    ('帮不上', '闺女帮不上', 'poor'),
    ('自顾不暇', '儿子自顾不暇', 'poor'),
    ('有心无力', '闺女有心无力', 'poor'),
    ('也难', '儿子也难', 'poor'),
    ('也穷', '儿子也穷', 'poor'),
    ('也没钱', '闺女也没钱', 'poor'),
    ('也遭灾', '儿子家也遭灾了', 'poor'),
    ('日子紧', '闺女日子紧', 'poor'),
    ('不富裕', '闺女家不富裕', 'poor'),
    ('不宽裕', '儿子不宽裕', 'poor'),
    ('拿不出', '儿子拿不出钱', 'poor'),
    ('没能耐', '儿子没能耐', 'poor'),
    ('没啥能耐', '儿子没啥能耐', 'poor'),
    ('给不了', '闺女给不了', 'poor'),
    ('帮不了', '儿子帮不了', 'poor'),
]

# supporter: kin who will not support (WILL_NOT_SUPPORT)
WILL_NOT_SUPPORT_REFUSES = [
    ('不往家拿', '儿子挣钱不往家拿', 'refuses'),
    ('不往家寄', '儿子在外头不往家寄', 'refuses'),
    ('不往家给', '闺女不往家给', 'refuses'),
    ('不管', '儿子不管俺们', 'refuses'),
    ('不养', '儿子不养老', 'refuses'),
    ('不搭理', '闺女不搭理俺', 'refuses'),
    ('不理', '儿子不理俺', 'refuses'),
    ('不给钱', '儿子不给钱', 'refuses'),
    ('一分不给', '儿子一分不给', 'refuses'),
    ('一分钱不给', '儿子一分钱不给', 'refuses'),
    ('不来看', '闺女也不来看', 'refuses'),
    ('改嫁', '孩子他妈改嫁了', 'refuses'),
    ('不来往', '儿子跟俺不来往', 'refuses'),
    ('断了联系', '儿子早断了联系', 'refuses'),
    ('不孝', '儿子不孝', 'refuses'),
    ('不咋管', '闺女不咋管', 'refuses'),
    ('不上门', '儿子不上门', 'refuses'),
    ('都不给', '仨儿子都不给', 'refuses'),
    ('不给抚养费', '孩子他爸不给抚养费', 'refuses'),
    ('不给生活费', '儿子不给生活费', 'refuses'),
    ('抚养费不给', '他爸抚养费不给', 'refuses'),
    ('抚养费也不给', '他爸抚养费也不给', 'refuses'),
]

# supporter: nobody
SUPPORTER_NONE = [
    ('没人', '没人', 'none'),
    ('没儿没女', '没儿没女', 'none'),
    ('没子女', '没子女', 'none'),
    ('没孩子', '俺们没孩子', 'none'),
    ('孤老', '俺是孤老', 'none'),
    ('就我自己', '就我自己', 'none'),
    ('死了', '儿子早死了', 'none'),
    ('去世', '儿子前年去世了', 'none'),
    ('没了', '儿子没了', 'none'),
    ('没别人', '没别人了', 'none'),
    ('没别的亲人', '没别的亲人了', 'none'),
    ('没谁', '没谁了', 'none'),
]

# supporter: kin poor themselves
SUPPORTER_POOR = [
    ('困难', '闺女家也挺困难', 'poor'),
    ('都穷', '几个孩子都穷', 'poor'),
    ('自己都', '儿子自己都一大家子', 'poor'),
    ('也有病', '儿子也有病', 'poor'),
    ('也不容易', '闺女也不容易', 'poor'),
    ('够呛', '儿子那边够呛', 'poor'),
    ('一身病', '闺女一身病', 'poor'),
    ('也是低保', '儿子也是低保', 'poor'),
    ('低保户', '儿子家是低保户', 'poor'),
    ('也吃低保', '闺女也吃低保', 'poor'),
    ('揭不开锅', '儿子家都揭不开锅了', 'poor'),
    ('下岗', '儿子下岗了', 'poor'),
    ('想管', '儿子想管 没那个条件', 'poor'),
    ('也七十', '就一个哥 也七十多了', 'poor'),
    ('也八十', '俺姐也八十了', 'poor'),
    ('也六十', '俺兄弟也六十多了', 'poor'),
    ('也老了', '俺弟弟也老了', 'poor'),
    ('钱不够', '闺女挣的钱不够自己花', 'poor'),
    ('不够使', '儿子钱也不够使', 'poor'),
    ('不够花', '儿子挣的不够花', 'poor'),
    ('没啥钱', '儿子也没啥钱', 'poor'),
    ('也紧', '闺女手头也紧', 'poor'),
    ('挺紧', '儿子手头挺紧', 'poor'),
    ('也挺难', '闺女家也挺难', 'poor'),
]

# supporter: kin who support
SUPPORTER_ABLE = [
    ('管', '儿子管俺们', 'able'),
    ('能养', '儿子能养活', 'able'),
    ('给钱', '儿子过年给钱', 'able'),
    ('照顾', '闺女常来照顾', 'able'),
    ('养着', '儿子养着俺', 'able'),
    ('孝顺', '儿子挺孝顺', 'able'),
    ('常回来', '闺女常回来看', 'able'),
    ('各给', '俩儿子一人各给五百', 'able'),
    ('月给', '儿子一个月给五百', 'able'),
    ('给俺钱', '闺女给俺钱', 'able'),
    ('给点', '闺女每回来给点', 'able'),
    ('能帮', '闺女能帮点', 'able'),
    ('钱能给', '儿子钱能给', 'able'),
    ('给打钱', '儿子隔三差五给打钱', 'able'),
    ('往家打钱', '儿子在外打工往家打钱', 'able'),
]

# supporter: kin who stay away
SUPPORTER_REFUSES = [
    ('不回来', '儿子过年都不回来', 'refuses'),
    ('联系不上', '儿子联系不上了', 'refuses'),
    ('不给了', '闺女早就不给了', 'refuses'),
    ('不咋回来', '儿子不咋回来', 'refuses'),
]

# supporter: far away but sending money is support
SUPPORTER_DECOYS = [
    ('回不去照顾', '儿子在外地 钱能给 就是回不去照顾', 'able'),
    ('回不来照顾', '闺女钱能给 就是人回不来照顾', 'able'),
    ('没法回去照顾', '儿子在南方 钱能给 没法回去照顾', 'able'),
    ('没法回来照顾', '闺女钱能给 没法回来照顾', 'able'),
]

# sudden event: a fire
EVENT_CHOICES_FIRE = [
    ('火灾', '家里遭了火灾', 'fire'),
    ('失火', '仓房失火了', 'fire'),
    ('烧', '苞米楼子让火烧了', 'fire'),
    ('起火', '家里起火了', 'fire'),
    ('着活', '家里着活了', 'fire'),
    ('着的火', '是电线着的火', 'fire'),
    ('起的火', '炕洞起的火', 'fire'),
    ('失的火', '仓房失的火', 'fire'),
]

# sudden event: a natural disaster
EVENT_CHOICES_DISASTER = [
    ('冰雹', '下冰雹了', 'disaster'),
    ('洪', '发洪水了', 'disaster'),
    ('淹', '苞米地让水淹了', 'disaster'),
    ('旱', '今年大旱', 'disaster'),
    ('灾', '遭灾了', 'disaster'),
    ('刮', '大风把房盖刮跑了', 'disaster'),
    ('雹子', '下雹子了', 'disaster'),
    ('涝', '地涝了', 'disaster'),
    ('龙卷风', '来龙卷风了', 'disaster'),
    ('暴雨', '下暴雨了', 'disaster'),
    ('大水', '发大水了', 'disaster'),
    ('发水', '村里发水了', 'disaster'),
    ('涨水', '河涨水 地都泡了', 'disaster'),
    ('大雪', '下大雪', 'disaster'),
    ('暴雪', '下暴雪', 'disaster'),
    ('雪压', '大棚让雪压坏了', 'disaster'),
    ('下雪', '下雪把棚压了', 'disaster'),
]

# sudden event: an accident
EVENT_CHOICES_ACCIDENT = [
    ('车祸', '出车祸了', 'accident'),
    ('意外', '出了意外', 'accident'),
    ('摔', '老头摔了一跤', 'accident'),
    ('滑倒', '老伴滑倒了', 'accident'),
    ('跌倒', '老太太跌倒了', 'accident'),
    ('砸', '让木头砸了', 'accident'),
    ('撞', '让车撞了', 'accident'),
    ('工伤', '儿子工伤', 'accident'),
    ('出事', '儿子在工地出事了', 'accident'),
    ('顶伤', '让牛顶伤了', 'accident'),
    ('咬伤', '让狗咬伤了', 'accident'),
    ('踢伤', '让马踢伤了', 'accident'),
    ('绞', '手让机器绞了', 'accident'),
    ('轧', '脚让车轧了', 'accident'),
    ('烫伤', '孙子烫伤了', 'accident'),
    ('中毒', '煤烟中毒', 'accident'),
    ('触电', '老头触电了', 'accident'),
    ('骨折', '老伴骨折了', 'accident'),
    ('掉下来', '从房上掉下来了', 'accident'),
    ('翻车', '三轮翻车了', 'accident'),
    ('翻沟', '三轮翻沟里了', 'accident'),
    ('掉沟', '车掉沟里了', 'accident'),
    ('车翻', '三轮车翻了', 'accident'),
    ('车给刮', '车给刮了 人也伤了', 'accident'),
    ('车刮', '让车刮了', 'accident'),
    ('车剐', '让车剐了', 'accident'),
    ('刮蹭', '骑车让人刮蹭了', 'accident'),
    ('剐蹭', '骑车让人剐蹭了', 'accident'),
]

# sudden event: a sudden illness
EVENT_CHOICES_ILLNESS = [
    ('住院', '老伴住院呢', 'illness'),
    ('癌', '老头得了癌', 'illness'),
    ('脑梗', '老头脑梗了', 'illness'),
    ('病', '儿子病了', 'illness'),
    ('手术', '老伴做手术了', 'illness'),
    ('查出', '老头查出肺上长东西', 'illness'),
    ('脑出血', '老伴脑出血', 'illness'),
    ('心梗', '老头心梗', 'illness'),
    ('支架', '老头下了支架', 'illness'),
    ('中风', '老太太中风了', 'illness'),
    ('尿毒症', '儿子得了尿毒症', 'illness'),
    ('急性', '儿子急性阑尾', 'illness'),
    ('炎', '孩子得了脑炎', 'illness'),
]

# sudden event: the house collapsing
EVENT_CHOICES_HOUSE = [
    ('房子塌', '房子塌半拉', 'house'),
    ('危房', '房子成危房了', 'house'),
    ('漏', '房顶漏', 'house'),
    ('倒了', '烟囱倒了', 'house'),
    ('塌了', '房盖塌了', 'house'),
    ('裂', '墙裂了', 'house'),
    ('墙倒', '后墙倒 人差点砸着', 'house'),
    ('房倒', '房倒屋塌', 'house'),
]

# sudden event: nothing new
EVENT_CHOICES_NONE_WORDS = [
    ('不算急事', '不算急事', 'none'),
    ('算不上急事', '算不上急事', 'none'),
    ('不算啥急事', '不算啥急事', 'none'),
    ('就是穷', '就是穷', 'none'),
    ('挺好', '家里挺好', 'none'),
    ('慢性病', '就是慢性病', 'none'),
    ('老毛病', '老伴那是老毛病', 'none'),
    ('常年吃药', '老头常年吃药', 'none'),
    ('一直', '老伴一直那样', 'none'),
    ('没新事', '没新事', 'none'),
    ('没啥新事', '没啥新事', 'none'),
    ('还是那样', '还是那样', 'none'),
    ('老样子', '老样子', 'none'),
    ('没听说', '没听说', 'none'),
]

# sudden event: a long illness or a beating is no house falling or new illness
EVENT_CHOICES_DECOYS = [
    ('慢性病', '婆婆是慢性病', 'none'),
    ('老毛病', '婆婆那是老毛病', 'none'),
    ('住院了', '婆婆又住院了 老毛病', 'none'),
    ('病一直', '婆婆的病一直花钱', 'none'),
    ('一直病', '老伴一直病着', 'none'),
    ('常年病', '老伴常年病 没新事', 'none'),
    ('病常年', '老伴的病常年吃药', 'none'),
    ('老病', '老伴老病了 没新事', 'none'),
    ('多年的病', '多年的病 没新事', 'none'),
    ('病好多年', '老伴病好多年了 没新事', 'none'),
    ('病了好多年', '老伴病了好多年了 没新事', 'none'),
    ('一直治病', '老伴一直治病', 'none'),
    ('常年治病', '老伴常年治病 没新事', 'none'),
    ('一直看病', '老伴一直看病', 'none'),
    ('打倒了', '让人打倒了 骨折了', 'accident'),
]

# when: within the month
WHEN_RECENT = [
    ('昨', '昨个', 'recent'),
    ('今天', '今天早上', 'recent'),
    ('前天', '前天晚上', 'recent'),
    ('刚', '刚出的事', 'recent'),
    ('这几天', '就这几天', 'recent'),
    ('上周', '上周', 'recent'),
    ('上礼拜', '上礼拜', 'recent'),
    ('这个月', '这个月的事', 'recent'),
    ('最近', '最近', 'recent'),
    ('几天前', '几天前', 'recent'),
    ('这周', '这周', 'recent'),
    ('上星期', '上星期', 'recent'),
    ('月初', '月初', 'recent'),
    ('前几天', '前几天', 'recent'),
    ('今早', '今早', 'recent'),
    ('今儿', '今儿个', 'recent'),
    ('前儿', '前儿个', 'recent'),
    ('夜儿', '夜儿个', 'recent'),
    ('礼拜天', '礼拜天', 'recent'),
    ('星期天', '星期天', 'recent'),
    ('上个礼拜', '上个礼拜', 'recent'),
    ('上个星期', '上个星期', 'recent'),
    ('前些天', '前些天', 'recent'),
    ('前些日子', '前些日子', 'recent'),
    ('头几天', '头几天', 'recent'),
    ('这些天', '这些天', 'recent'),
    ('上个月底', '上个月底', 'recent'),
    ('上月底', '上月底', 'recent'),
]

# when: more than a month ago
WHEN_EARLIER = [
    ('去年', '去年冬天', 'earlier'),
    ('前年', '前年', 'earlier'),
    ('几个月', '有几个月了', 'earlier'),
    ('年前', '年前', 'earlier'),
    ('早就', '早就出事了', 'earlier'),
    ('老早', '老早的事了', 'earlier'),
    ('上个月', '上个月', 'earlier'),
    ('开春', '开春那会儿', 'earlier'),
    ('夏天', '夏天', 'earlier'),
    ('秋天', '秋天', 'earlier'),
    ('年初', '年初', 'earlier'),
    ('头年', '头年', 'earlier'),
    ('以前', '以前的事', 'earlier'),
    ('多月', '有一个来多月', 'earlier'),
]

# assets: a car
ASSET_CHOICES_CAR = [
    ('面包', '有个小面包', ['car']),
    ('车', '家里有台车', ['car']),
    ('捷达', '有个破捷达', ['car']),
    ('别克', '有辆别克', ['car']),
    ('大众', '有辆大众', ['car']),
    ('比亚迪', '有个比亚迪', ['car']),
    ('桑塔纳', '有台老桑塔纳', ['car']),
    ('吉利', '有个吉利', ['car']),
    ('长安', '有个长安', ['car']),
    ('出租车', '有辆出租车', ['car']),
]

# assets: a house besides the one lived in
ASSET_CHOICES_HOUSE = [
    ('别的房', '镇上还有别的房', ['house']),
    ('两套', '有两套房', ['house']),
    ('楼房', '县里有个楼房', ['house']),
    ('门市', '有个门市', ['house']),
    ('商铺', '有个商铺', ['house']),
    ('门面', '有个门面房', ['house']),
    ('还有房', '镇上还有房', ['house']),
    ('另一套', '另一套给儿子了', ['house']),
    ('第二套', '买了第二套', ['house']),
    ('城里有房', '城里有房', ['house']),
    ('县里有房', '县里有房', ['house']),
    ('两处', '有两处房子', ['house']),
    ('另一处', '另一处房子在屯里', ['house']),
    ('空着', '老房子空着', ['house']),
    ('套楼', '在镇上买了套楼', ['house']),
    ('还有个楼', '城里还有个楼', ['house']),
    ('还有一套', '县城还有一套', ['house']),
    ('又买了', '又买了个房', ['house']),
    ('租出去', '有个房子租出去了', ['house']),
    ('出租', '有间房出租', ['house']),
    ('给儿子住', '县里的房给儿子住', ['house']),
    ('给闺女住', '镇上的房给闺女住', ['house']),
    ('还有个平房', '屯里还有个平房', ['house']),
    ('还有个老平房', '还有个老平房', ['house']),
    ('还有个老房', '还有个老房', ['house']),
    ('还有套房', '城里还有套房', ['house']),
    ('还有个房', '镇上还有个房', ['house']),
    ('往外租', '屯里的房子往外租', ['house']),
    ('租给别人', '老房子租给别人了', ['house']),
    ('租给人', '老房子租给人了', ['house']),
]

# assets: savings
ASSET_CHOICES_SAVINGS = [
    ('存款', '有点存款', ['savings']),
    ('存了', '存了几万块钱', ['savings']),
    ('积蓄', '有点积蓄', ['savings']),
    ('存折', '有个存折', ['savings']),
    ('定期', '有个定期', ['savings']),
    ('攒', '攒了点钱', ['savings']),
    ('存的钱', '有点存的钱', ['savings']),
]

# assets: a business
ASSET_CHOICES_BUSINESS = [
    ('生意', '做点小生意', ['business']),
    ('厂', '开了个小厂', ['business']),
    ('买卖', '儿子做点小买卖', ['business']),
    ('小卖部', '开个小卖部', ['business']),
    ('养殖场', '有个养殖场', ['business']),
    ('超市', '开了个小超市', ['business']),
    ('摊', '摆个小摊', ['business']),
    ('养猪场', '有个养猪场', ['business']),
    ('养鸡场', '有个养鸡场', ['business']),
    ('养牛场', '有个养牛场', ['business']),
    ('店', '开了个店', ['business']),
    ('小卖铺', '有个小卖铺', ['business']),
    ('铺子', '有个铺子', ['business']),
    ('小吃部', '开个小吃部', ['business']),
    ('饭馆', '开个小饭馆', ['business']),
    ('收购点', '有个粮食收购点', ['business']),
    ('收购站', '有个收购站', ['business']),
    ('作坊', '有个豆腐作坊', ['business']),
    ('饺子馆', '开个饺子馆', ['business']),
    ('面馆', '开个面馆', ['business']),
    ('馆子', '开了个小馆子', ['business']),
    ('包子铺', '开个包子铺', ['business']),
]

# assets: what does not count (the home lived in, farm vehicles)
ASSET_CHOICES_NONE_WORDS = [
    ('一套房', '就一套房 自己住着', []),
    ('一处房', '就一处房', []),
    ('住的房', '只有住的房子', []),
    ('就住的', '房子就住的', []),
    ('三轮', '有个三轮', []),
    ('四轮', '有个四轮', []),
    ('农用车', '有个农用车', []),
    ('拖拉机', '有台拖拉机', []),
    ('电动车', '就有个电动车', []),
    ('摩托', '有个摩托', []),
    ('电驴', '有个电驴', []),
    ('破房', '就俩间破房', []),
    ('一个房', '一个房 自己住', []),
    ('一间房', '就一间房', []),
    ('一间小房', '就一间小房', []),
    ('一间土房', '一间土房', []),
    ('两间房', '就两间房', []),
    ('两间土房', '两间土房', []),
    ('三间房', '三间房', []),
    ('有个楼', '就有个楼 自己住', []),
    ('一套楼', '就一套楼 自己住', []),
    ('一个楼', '就一个楼', []),
    ('住平房', '俺们住平房', []),
    ('住老房', '住老房子', []),
    ('别的啥也没', '别的啥也没', []),
]

# assets: farm vehicles, the home lived in, a car that is a job
ASSET_CHOICES_DECOYS = [
    ('三轮车', '有个三轮车', []),
    ('四轮车', '有个四轮车', []),
    ('农用车', '有个农用车', []),
    ('电动车', '有个电动车', []),
    ('摩托车', '有个摩托车', []),
    ('修车', '儿子给人修车 家里啥也没有', []),
    ('车是农用车', '车是农用车', []),
    ('车是四轮', '车是四轮', []),
    ('车是三轮', '车是三轮', []),
    ('车是拖拉机', '车是拖拉机', []),
    ('车是拉粮的', '车是拉粮的 别的没有', []),
    ('住的这套楼', '就住的这套楼', []),
    ('跑出租', '儿子跑出租 别的没有', []),
    ('开出租', '儿子开出租 别的没有', []),
    ('拉出租', '老头拉出租 别的没有', []),
    ('住这套楼', '就住这套楼 别的没有', []),
    ('电瓶车', '就一个电瓶车 别的没有', []),
    ('一套楼', '有一套楼', []),
]

# benefits: 低保 (and its misspellings)
BENEFIT_CHOICES_DIBAO = [
    ('吃保', '俺家吃保', ['dibao']),
    ('低宝', '有低宝', ['dibao']),
    ('地保', '吃地保', ['dibao']),
    ('底保', '吃底保', ['dibao']),
    ('抵保', '吃抵保', ['dibao']),
    ('低包', '吃低包', ['dibao']),
    ('底包', '吃底包', ['dibao']),
]

# benefits: 特困/五保
BENEFIT_CHOICES_TEKUN = [
    ('特困', '是特困户', ['tekun']),
    ('五保', '五保户', ['tekun']),
    ('供养', '分散供养', ['tekun']),
    ('五宝', '俺是五宝户', ['tekun']),
    ('五包', '五包户', ['tekun']),
]

# benefits: 低保边缘
BENEFIT_CHOICES_EDGE = [
    ('边缘', '是边缘户', ['edge']),
    ('低边', '低边户', ['edge']),
    ('边沿', '边沿户', ['edge']),
    ('低保边沿', '低保边沿户', ['edge']),
]

# benefits: none, or others that are not these
BENEFIT_CHOICES_NONE_WORDS = [
    ('啥也没吃', '啥也没吃', []),
    ('没享受', '没享受', []),
    ('没领', '没领过', []),
    ('没吃过', '没吃过', []),
    ('啥待遇也没', '啥待遇也没有', []),
    ('养老金', '就有养老金', []),
    ('临时救助', '临时救助给过一回', []),
    ('孤儿', '孙子有孤儿那个钱', []),
    ('补助', '有点补助', []),
    ('补贴', '就有点补贴', []),
]


@pytest.mark.parametrize("word,text,reading", WHOSE_SELF + WHOSE_RELATIVE + WHOSE_DECOYS)
def test_whose_home_word(env, word, text, reading):
    assert word in text
    assert read(env, "need_whose", text) == reading


@pytest.mark.parametrize("word,text,reading", MEMBER_CHOICES_ELDERLY + MEMBER_CHOICES_CHILD + MEMBER_CHOICES_STUDENT + MEMBER_CHOICES_DISABLED + MEMBER_CHOICES_ILL + MEMBER_CHOICES_JOBLESS + MEMBER_CHOICES_UNPARENTED + MEMBER_CHOICES_DECOYS)
def test_members_word(env, word, text, reading):
    assert word in text
    assert read(env, "special_members", text) == reading


@pytest.mark.parametrize("word,text,reading", DISABILITY_SEVERE + DISABILITY_MILD + DISABILITY_NONE)
def test_disability_grade_word(env, word, text, reading):
    assert word in text
    assert read(env, "disability", text) == reading


@pytest.mark.parametrize("word,text,reading", CANNOT_SUPPORT_POOR + WILL_NOT_SUPPORT_REFUSES + SUPPORTER_NONE + SUPPORTER_POOR + SUPPORTER_ABLE + SUPPORTER_REFUSES + SUPPORTER_DECOYS)
def test_supporter_word(env, word, text, reading):
    assert word in text
    assert read(env, "supporter", text) == reading


@pytest.mark.parametrize("word,text,reading", EVENT_CHOICES_FIRE + EVENT_CHOICES_DISASTER + EVENT_CHOICES_ACCIDENT + EVENT_CHOICES_ILLNESS + EVENT_CHOICES_HOUSE + EVENT_CHOICES_NONE_WORDS + EVENT_CHOICES_DECOYS)
def test_sudden_event_word(env, word, text, reading):
    assert word in text
    assert read(env, "sudden_event", text) == reading


@pytest.mark.parametrize("word,text,reading", WHEN_RECENT + WHEN_EARLIER)
def test_when_it_happened_word(env, word, text, reading):
    assert word in text
    assert read(env, "event_when", text) == reading


@pytest.mark.parametrize("word,text,reading", ASSET_CHOICES_CAR + ASSET_CHOICES_HOUSE + ASSET_CHOICES_SAVINGS + ASSET_CHOICES_BUSINESS + ASSET_CHOICES_NONE_WORDS + ASSET_CHOICES_DECOYS)
def test_assets_word(env, word, text, reading):
    assert word in text
    assert read(env, "assets", text) == reading


@pytest.mark.parametrize("word,text,reading", BENEFIT_CHOICES_DIBAO + BENEFIT_CHOICES_TEKUN + BENEFIT_CHOICES_EDGE + BENEFIT_CHOICES_NONE_WORDS)
def test_benefits_word(env, word, text, reading):
    assert word in text
    assert read(env, "current_benefits", text) == reading


# supporter said before the question (`_heard_supporter`): CANNOT_SUPPORT / WILL_NOT_SUPPORT read alone
HEARD_SUPPORTER = [
    ('自己都难', '俺闺女自己都难', 'poor'),
    ('自己都困难', '俺闺女自己都困难', 'poor'),
    ('自己都吃不上', '俺闺女自己都吃不上', 'poor'),
    ('也困难', '俺闺女也困难', 'poor'),
    ('日子也紧', '俺闺女日子也紧', 'poor'),
    ('紧巴', '儿子也紧巴', 'poor'),
    ('不问', '儿子不闻不问', 'refuses'),
]


@pytest.mark.parametrize("word,text,reading", HEARD_SUPPORTER)
def test_supporter_heard_word(env, word, text, reading):
    assert word in text
    assert PRESCREEN.question("supporter").heard(text, dict(env)) == reading

# ---------------------------------------------------------------- beyond the tables: the readers' own words and bounds

# unsure about the grade (_UNSURE): 搞不清, 弄不清, 不晓得
@pytest.mark.parametrize("text", ["几级俺搞不清", "几级俺也弄不清", "俺不晓得几级"])
def test_unsure_of_the_grade(env, text):
    assert read(env, "disability", text) == "unknown"


# a hedge before the answer (_HEDGE): 可能没有, also after a space
@pytest.mark.parametrize("text", ["可能没有", "俺家 可能没有"])
def test_a_hedged_no_is_no(env, text):
    assert read(env, "current_benefits", text) == []


# whose home: a bare 给我, and 帮 before the speaker's own home (_OWN_FIRST)
@pytest.mark.parametrize("text,whose", [("给我", "self"), ("帮俺家婆婆问问", "self")])
def test_whose_home_short_answers(env, text, whose):
    assert read(env, "need_whose", text) == whose


# members by age (_AGE with 刚 and 岁, the bound at 60), by schooling (_AT_SCHOOL), by story (_PARENTS_GONE)
@pytest.mark.parametrize("text,members", [
    ("孙子刚十五", ["child"]), ("老伴72岁", ["elderly"]), ("老伴60岁", ["elderly"]),
    ("小的还上学呢", ["student", "child"]), ("孩子读书呢", ["student", "child"]),
    ("孙子他爹妈都不管", ["unparented"]), ("孙子爹妈没管过", ["unparented"]),
    ("孙女她妈走道了 她爸在外地不回来", ["unparented"]),
])
def test_members_by_age_schooling_and_story(env, text, members):
    assert read(env, "special_members", text) == members


# assets not theirs or spent (_NOT_OWNED 租, _SPENT 花光了)
@pytest.mark.parametrize("text", ["出租车是租人家的", "存款看病花光了"])
def test_assets_not_theirs_or_spent(env, text):
    assert read(env, "assets", text) == []


# when: a span in 日, and 多 adding half a week (_days_ago)
@pytest.mark.parametrize("text,when", [("有四十来日了", "earlier"), ("四个多礼拜了", "earlier")])
def test_when_by_span(env, text, when):
    assert read(env, "event_when", text) == when


# some help from kin poor themselves is 有，但他们自己也困难 (_supporter)
def test_some_help_from_poor_kin_is_poor(env):
    assert read(env, "supporter", "儿子能管点 他家也不富裕") == "poor"


# support said before its question (_KIN 兄弟 妹妹, _CHILDLESS 没儿没女 孤老)
@pytest.mark.parametrize("text,supporter", [("俺兄弟 也困难", "poor"), ("俺妹妹自己都困难", "poor"),
                                            ("俺们老两口没儿没女", "none"), ("俺是孤老", "none")])
def test_supporter_heard_from_kin_words(env, text, supporter):
    assert PRESCREEN.question("supporter").heard(text, dict(env)) == supporter


# benefits said before their question (_RECEIVING 有 的 五保 特困; _THEIR_OWN 人家: a brother's, not theirs)
@pytest.mark.parametrize("text,benefits", [("俺家有低保", ["dibao"]), ("俺家吃的低保", ["dibao"]), ("俺是五保", ["tekun"]),
                                           ("俺是特困", ["tekun"]), ("就一个哥 人家也吃低保", None)])
def test_benefits_heard(env, text, benefits):
    assert PRESCREEN.question("current_benefits").heard(text, dict(env)) == benefits


# a home of one or two elders, not the speaker's (_THEIRS, _THEIR_PAIR)
@pytest.mark.parametrize("text,size", [("俺爷爷一个人", 1), ("俺舅一个人", 1), ("我姑一个人过", 1), ("俺叔一个人", 1),
                                       ("我妹一个人", 1), ("就他们俩", 2), ("两个人 俺爸俺妈", 2)])
def test_someone_elses_home_by_its_size(env, text, size):
    parsed = PRESCREEN.question("household_size").parse(text, dict(env))
    assert (parsed.value, parsed.also.get("need_whose")) == (size, "relative")


# the place of an elder's home (_THEIRS: 就在那, 家在)
@pytest.mark.parametrize("text", ["东明镇吴家村 俺爸就在那", "俺奶家在东明镇吴家村"])
def test_the_place_of_an_elders_home(env, text):
    parsed = PRESCREEN.question("place").parse(text, dict(env))
    assert parsed.ok and parsed.also.get("need_whose") == "relative"


# no income at all (_NOTHING_AT_ALL: 目前, 眼下, 木有)
@pytest.mark.parametrize("text", ["目前啥也没有", "眼下啥也没有", "现在啥也木有"])
def test_no_income_at_all(env, text):
    assert read(env, "monthly_income", text) == {"low": 0, "high": 0}


# the phone: refused (_NO_PHONE 不给), or none of their own but another's to give (_ANOTHER_WAY 网格员, 亲戚)
@pytest.mark.parametrize("text,phone", [("电话不给", ""), ("俺没手机 你打网格员的", "error"), ("俺没手机 打亲戚的吧", "error")])
def test_no_phone_of_their_own(env, text, phone):
    assert read(env, "contact_phone", text) == phone
