"""The emergency net: it must fire on danger-now wording, and stay quiet on policy questions and chatter."""
import pytest

from bot.safety.net import SafetyNet
from bot.settings import ROOT

NET = SafetyNet.from_file(ROOT / "policies" / "emergency.yml")

DANGER = [
    ("俺妈在炕上躺着叫不醒 屋里一股煤烟味", "gas"),   # fresh air first, not "don't move the one who fell"
    ("我不想活了", "suicide"),
    ("活着真没意思 寻思死了算了", "suicide"),
    ("俺爹喝农药了！！", "suicide"),
    ("我妈说要跳河", "suicide"),
    ("老公又打我了，拿刀了", "violence"),
    ("他天天打我", "violence"),
    ("邻居老太太倒地上没动静了", "medical"),
    ("我爸摔倒了起不来", "medical"),
    ("屋里煤烟中毒了快来人", "gas"),
    ("着火了！房子着了", "fire"),
    ("水淹进屋了", "flood"),
    ("今晚没地方住", "no_shelter"),
    ("被房东赶出来了，睡大街", "no_shelter"),
    ("孩子三天没吃饭了", "no_food"),
    ("老人家要饿死了 快给送点吃的", "no_food"),
    ("老伴突然说话不利索 嘴歪了 半拉身子不好使", "medical"),
    ("俺媳妇要生了 羊水破了 道叫雪封了", "medical"),
    ("今天看见他倒在自家院里雪堆上了", "medical"),
    ("院子里水都漫上来了没过膝盖了 老伴出不去", "flood"),
    ("那男的说要跟她同归于尽", "violence"),
    ("我一个人在家 有人一直敲门还撬锁", "violence"),
    ("监控里看着我家孩子跟一个不认识的男的走了", "missing"),
    ("一户烧炕中了煤烟 老人人事不省", "gas"),
    ("俺爹突然说不出话 半拉身子不好使", "medical"),
    ("老太太吃饭噎住了 脸憋得通红 咳不出来", "medical"),
    ("一个劲说胸口压着疼 出冷汗", "medical"),
    ("狗把孩子咬了 腿上一直淌血", "medical"),
    ("房盖压塌了一半 俺老伴腿压住了出不来", "medical"),
    ("小孩打电话说爸爸打妈妈", "violence"),
    ("老太太喊了一声 然后就没动静了", "medical"),
    ("媳妇要生了羊水都破了 找不着车", "medical"),
    ("工地塌方埋了个人 就露个脑袋", "medical"),
    ("小孙子让开水烫了 前胸一大片起泡", "medical"),
    ("俺爸肝硬化 吐了一盆血", "medical"),
    ("老舅放牛让牛顶了 肚子上一个窟窿", "medical"),
    ("上房扫雪摔下来了 后脑勺着地 不说话了", "medical"),
    ("有人在俺家门口泼汽油 嚷嚷要点了俺家房子", "violence"),
    ("女儿被网友骗到外地 说被关着出不来", "violence"),
    ("说明天就看不着他了 把摩托车钥匙和卡都塞给我了", "suicide"),   # 以后就没动静了 is paperwork; 然后 is not
    ("我爸我妈出去打工好几天没回来了 家里没吃的了", "missing"),
    ("我姐把首饰和存折都塞给我了 说以后孩子就交给我了", "suicide"),
    ("家里一口吃的都没有了", "no_food"),
    ("我妈走丢了找不着了", "missing"),
    ("我爸有痴呆 早上出门到现在没回来", "missing"),
    ("药都攒够了 就是放心不下孩子", "suicide"),
    ("她把家里的降压药全吞了", "suicide"),
    ("我带着俩孩子一块走", "suicide"),
    ("他喝多了在外面砸门 说要弄死我们娘俩", "violence"),
    ("屋里烧炕 俺们全家头疼恶心", "gas"),
    ("屋里一股煤烟味 老头叫不醒了", "gas"),
    ("一进屋煤烟味挺大 老伴迷迷糊糊的", "gas"),
    ("墙倒了 把俺爹压在底下了", "medical"),
    ("房子塌了 压着人了", "medical"),
    ("大坝开口子了 水进村了", "flood"),
    ("俺家没煤了 老太太冻得直哆嗦", "cold"),
    ("我在沈阳 钱包被偷了 今晚睡桥底下", "no_shelter"),
    ("孩子一个人在家 两天没人给做饭 饿得直哭", "no_food"),
    ("我爸老年痴呆 早上跑出去了到现在没回", "missing"),
    ("孩子不见了", "missing"),
    ("屋里冒烟了", "fire"),
    ("媳妇怀孕八个月 突然下面出好多血", "medical"),
    ("房子下午烧没了 一家五口今晚没地儿落脚", "no_shelter"),
    ("烧荒的火过来了 离俺家院墙就几米", "fire"),
    ("液化气罐漏气了 满屋子味", "gas"),
    ("西河套涨水 十几户被水围住了", "flood"),
    ("院里的狗咬了孩子 脸上撕开一大块", "medical"),  # the eighth blind set, read
    ("孩子玩打火机把窗帘点了 火往屋顶上蹿", "fire"),
    ("包工头不给钱还叫人来打我们，有个人头被打破了", "violence"),  # the ninth blind set, read
    ("屋里一氧化碳报警器一直响 俺妈头晕", "gas"),
    # the twelfth blind set, read (stop 22): cut off by water; water knee-deep in a row of houses
    ("河套涨水了 俺家房子四面都是水 手机快没电了", "flood"), ("雨还在下，村北那排房子进水过膝，需马上转移", "flood"),
    ("他又打我了 家暴的人能不能抓起来", "violence"),  # 家暴的人 is no kind of person asked about
    ("工厂里氨气泄漏了，好几个工友倒了", "gas"), ("车间漏气 有人晕倒了", "gas"),
    ("ｗｏ不想活了", "suicide"),  # full-width letters fold to ASCII
    ("不 想 活 了", "suicide"),     # spaces from voice transcripts
]

CALM = [
    "同意 你们快来人看看吧",  # a visit, not a rescue
    "那你们赶紧来给看看",
    "我想吃火锅",
    "今晚整点火锅咋样",
    "我家狗丢了",
    "羊走丢了一只 咋找回来",
    "孩子的小熊玩具丢了",
    "我是单亲妈妈 孩子有病 工作也丢了",
    "俺叫老刘太太",
    "车打不着火了 天太冷",
    "烟囱两天没冒烟了",
    "看了个电影 男主最后从楼上跳下去了",
    "游戏里着火了咋灭",
    "梦见房子塌了",
    "笑死我了",
    "累死了",
    "吃了好多药也不见好",
    "炒菜油锅起火了 一盖锅盖就灭了",
    "老板天天催 我想死的心都有了",
    "孩子的电话手表找不着了",
    "电视上说南方发大水了",
    "媳妇生孩子大出血 在ICU住了半个月 欠了一屁股债",
    "家里突然出事了 临时救助咋申请",
    "我在写网文 女主要割腕 怎么写",
    "这破手机烫得要着火了",
    "房子让大水冲倒了 重建能补多少",
    "网格员收了俺家材料就没影了",
    "家里失火了可以申请救助吗",
    "去年房子着火了能给补助不",
    "低保怎么申请",
    "今天天气咋样",
    "房子快塌了能申请危房改造不",
    "我想了解临时救助",
    "",
    "😀😀",
    "谢谢你",
    "想起那事俺还有点气",            # 气 as anger, not breath
    "这事俺都想好了 就报低保",
    "今天忙得两顿没吃 饿死了",       # watch at most, never confirmed
    "人要饿死了 附近哪有开门的饭馆",
    "去年俺家院里水没过膝盖 受灾的能补不",
    "游戏里他说要跟我同归于尽",
    "孩子跟他姥姥走了 明天回来",
    "俺家烟囱冒黑烟是不是煤不好",
    "俺爸看新闻说外地发大水了 咱这没事吧",
    "孩子吃饭噎着了 喝口水就好了",
    "工单转到民政以后就没动静了",
    "没有老婆孩子 眼睛也看不见了",
    "隔壁小孩爹妈出去打工好几年没回来",
    "上回说的上门核查 啥时候来人啊",
    "燃气表没气了咋充",
    "跳楼价甩卖羽绒服 在哪条街",
    "烫了个发 头皮起泡了",
    "汽油涨价了 加满一箱多少钱",
    "俺表哥家房顶漏了好几个窟窿",
    # the eighth blind set, read: a simile, safety gear to buy, a how-to
    "烧烤摊着火了一样旺 明天还去吃不", "对面楼放烟花 我还以为着火了 虚惊一场", "拿刀切排骨划了个小口 贴个创可贴就行吧",
    "一氧化碳中毒是啥症状 想了解一下", "一氧化碳报警器哪买 多少钱 给俺妈装一个", "掉冰窟窿里咋自救 看视频学学 以防万一",
]


@pytest.mark.parametrize("text,category", DANGER)
def test_fires_on_danger(text, category):
    match = NET.match(text)
    assert match is not None and match.name == category


@pytest.mark.parametrize("text", CALM)
def test_quiet_on_policy_questions_and_chatter(text):
    assert NET.match(text) is None


WATCHED = [
    ("俺家东屋塌了 这可咋整", "flood"),  # nobody said to be under it: asked first
    ("房子塌了", "flood"),
    ("挺急的 怕人出事了", "sos"),
    ("那边不太对劲", "sos"),
    ("我把东西都送人了", "suicide"),
    ("手机明天就扔了 最后跟你说一声", "suicide"),
    ("宝宝别怕 妈妈带你去找你爸 这是我最后一次发朋友圈", "suicide"),  # the tenth blind set's one miss
    ("这是我最后一条朋友圈了", "suicide"),
    ("宝宝一直吐奶，软绵绵的不哭了", "medical"),  # the ninth and tenth sets, read: lost by the stop-20 model
    ("来电人称大风将其家彩钢房顶整体掀翻，一家五口现无处躲避，风仍未停。", "flood"),
    ("我舅一个人过 血压高 手机关机两天了", "medical"),
    ("邻居老头心脏病 两天了打电话没人接", "medical"),
    ("来电人称其父独居 有高血压 连续三天无法联系", "medical"),
    ("俺舅有癫痫 一个人住 仨礼拜没信儿了", "medical"),
    ("俺舅有癫痫 一个人在郑家屯租房住 仨礼拜没信儿了", "medical"),
    ("柴火没了 炕凉得透透的 今儿晚上够呛", "cold"),
    ("我哥喝完酒说明天就看不着他了", "suicide"),
    ("俺妈摔了一跤", "medical"),
    ("屋里冷得结冰了", "cold"),
    ("孩子一个人在家", "no_food"),
    ("刚吃了一把药 不想说话", "suicide"),
    ("他喝多了就打孩子", "violence"),
    ("俺爹喘不过气来了 脸都白了", "medical"),
    ("孙子掉冰窟窿里了", "medical"),
    ("外面有人拿着刀在转悠", "violence"),
    ("娃在集上跑丢了", "missing"),
    ("家里就剩俺一个 吃的都没了", "no_food"),
    ("明早他们就不用再找我了", "suicide"),
    ("转告我闺女 妈不怪她", "suicide"),
    ("家中断煤 屋内已到零下", "cold"),
    ("欠电费让停电了 电炕不热乎 这一宿可咋熬", "cold"),
    ("明天太阳出来我就不在了", "suicide"),
    ("我要冻死了 等公交半小时", "no_shelter"),
    ("要不要打120啊", "sos"),
    ("钥匙丢了进不去家 外头零下二十多度", "cold"),
    ("煤棚子空了 屋里跟冰窖似的 俺妈八十多了", "cold"),
    ("今天一顿饭都没整上 老伴还得吃药", "no_food"),
    ("不用劝我了 俺都想好了 就是放心不下俺家那条狗", "suicide"),
    ("俺都想好了 帮着把俺闺女托付给她姨", "suicide"),
    ("老人家里发现的时候人都僵了 还有点气", "medical"),
    ("他爹躺炕上就剩一口气了", "medical"),
    ("龙卷风把房盖掀了 俺们现在在外头", "flood"),
    ("大风把房顶刮跑了 一家人蹲院里", "flood"),
    ("家里米面油都没了 俩孩子两顿没吃了", "no_food"),
    ("对门老太太最近老糊涂 出门找不着家", "missing"),  # habitual: asked first, not an alert
    ("俺们屯子泥石流把道冲了 有户人家房子后墙倒了", "flood"),
    ("一氧化碳报警器响了", "gas"),
    ("存折和钥匙都放桌上了 告诉我儿子以后好好过日子", "suicide"),
    ("进城给孩子看病 钱不够住店 这大冷天搁哪猫一宿啊", "no_shelter"),
    ("刚下大客 工钱没要着 没钱吃饭没地住", "no_shelter"),
    ("不想再麻烦任何人了。谢谢你们这么长时间的照顾。", "suicide"),
    # the eleventh blind set, read (stop 21): a child in a well, a burst heating pipe, people who cannot get out
    ("我们村后头那个废机井里有小孩哭声", "sos"), ("邻居家小子掉进枯井了", "sos"),
    ("物业说楼上暖气管爆了 屋里都结冰了", "cold"), ("老两口八十多了 腿脚不好 无法自行撤离", "sos"),
    # stop 21: a wreck with someone trapped; danger typed in pinyin (the model alone misses both at times)
    ("在高速上出车祸了，车里有人卡着，闻到汽油味", "medical"), ("wo ba dao le jiao bu xing", "medical"),
    ("wo ma chuan bu shang qi", "medical"),
    ("洪水下来了 低洼那片的人得赶紧撤离", "flood"),  # stop 22: people to be moved out now
    # stop 22, the twelfth blind set read (the retrained model alone lost these): a roof beam cracking, a life
    # to be "settled", papers taken and kept from leaving, an old person alone whose food was not taken in
    ("冰雹把房盖砸漏了 房梁咔嚓咔嚓响", "flood"), ("想把自己这条命交代了 省得给谁添麻烦", "suicide"),
    ("到了地方就把身份证收了不让走 我是偷着用别人手机发的", "violence"),
    ("独居老人连续两天未取门口送的饭，电话无人接听", "medical"),
    # stop 23, the thirteenth blind set read: papers held and a borrowed phone, said another way
    ("老板扣着我身份证不让出这个院 干活也不给钱 这是借工友手机偷着发的", "violence"),
]


@pytest.mark.parametrize("text,category", WATCHED)
def test_watch_words_ask_first_without_confirming(text, category):
    assert NET.match(text) is None
    watched = NET.watch(text)
    assert watched is not None and watched.name == category


@pytest.mark.parametrize("text,category", [
    ("万一家里煤气泄漏了咋办，平时应该注意啥", "gas"), ("救命啊这道数学题谁会", "sos"),
    ("孩子以前被家暴过，现在跟着奶奶过，这算困境儿童吗", "violence"), ("股市又血崩了，亏得我想跳楼，哈哈不至于", "suicide"),
    ("要是有人在我面前晕倒了，我应该先干啥", "medical"), ("我男朋友说要是我离开他他就不活了，哈哈他天天说这种肉麻话", "suicide"),
    ("之前我闺女自杀未遂住过院，看病花了不少，能报点医疗救助不", "suicide"),
    # the tenth blind set, read (stop 20)
    ("笑死我了 这个小品太逗了 救命啊", "sos"), ("冬天烧炕咋防煤气中毒 有啥讲究", "gas"),
    ("孩子他爸前年自杀走了 留下俩孩子 这种算不算事实无人抚养", "suicide"), ("家暴离婚以后一个人带孩子 能吃低保吗", "violence"),
    ("俺爹得了老年痴呆 走丢过好几回 现在找回来了 有没有啥照料服务", "missing"),
    ("我老公打我好几年了 我终于离了 现在带孩子租房住 没工作 咋活啊", "violence"),
    ("打死我也不信你是真人", "violence"), ("我闺女网名叫想死的鱼 这正常不", "suicide"),
    # the eleventh blind set, read (stop 21)
    ("家里着火了保险能赔不 家庭财产火灾险怎么买", "fire"), ("我以前想过轻生，现在好多了，能申请就业救助吗", "suicide"),
    ("煤烟中毒落下后遗症了，现在干不了活", "gas"), ("遭遇家暴跑出来没地方住的，临时救助一般给多少钱", "violence"),
    # the twelfth blind set, read (stop 22): prevention gear; a kind of person asked about
    ("有没有防煤气中毒的报警器 多少钱一个", "gas"), ("家暴离婚的妇女 政府有没有啥帮扶", "violence"),
    # the thirteenth blind set, read (stop 23): each alerted staff; a death last month, a marriage's violence
    # that is over, a wander-alarm bracelet, a complaint about a cold flat
    ("上个月俺爸喝药走了 欠了一屁股外债 家里就剩我跟我妈 日子真过不下去了", "suicide"),
    ("邻居去年喝农药没救过来 他家俩孩子现在跟着奶奶过 这算不算事实无人抚养", "suicide"),
    ("我前夫以前家暴我 现在离了 我带着孩子单过 能吃低保不", "violence"),
    ("俺老爹有点糊涂 出门怕走丢 民政有没有免费发那种防走失手环的", "missing"),
    ("暖气不热 物业也不管 冻得人够呛 这事找谁投诉", "cold"),
])
def test_a_joke_a_what_if_or_the_past_asks_instead_of_confirming(text, category):
    """The ninth blind set, read: each of these alerted staff; now the resident is asked first."""
    assert NET.match(text) is None and NET.asks_first(text)
    watched = NET.watch(text)
    assert watched is not None and watched.name == category


def test_danger_said_plainly_is_not_asked_about():
    assert not any(NET.asks_first(text) for text, _ in DANGER)


@pytest.mark.parametrize("text", ["去年俺妈摔了一跤 医疗救助能报不", "梦见孩子不见了", "电视剧里那人不想活了",
                                  "爷爷的老花镜又不见了", "去年龙卷风把房盖掀了 能给补点不", "想起那事俺还有点气",
                                  "这事俺都想好了 就报低保", "龙卷风是咋形成的", "掉冰窟窿里咋自救 看视频学学 以防万一",
                                  "差点把命搭进去 那年发大水"])
def test_past_events_and_fiction_silence_the_watch_too(text):
    assert NET.watch(text) is None and NET.match(text) is None


def test_every_category_has_advice():
    import yaml

    data = yaml.safe_load((ROOT / "policies" / "emergency.yml").read_text(encoding="utf-8"))
    assert set(data["categories"]) <= set(data["advice"])


def test_category_without_patterns_is_refused(tmp_path):
    path = tmp_path / "e.yml"
    path.write_text("categories:\n  x:\n    label: x\n    patterns: []\n", encoding="utf-8")
    with pytest.raises(ValueError):
        SafetyNet.from_file(path)


def test_a_fire_that_is_out_is_not_an_emergency_but_a_night_outside_is():
    from bot.safety.net import SafetyNet
    from bot.settings import ROOT

    net = SafetyNet.from_file(ROOT / "policies" / "emergency.yml")
    assert net.match("房子着火了快来人").name == "fire"
    assert net.match("昨晚家里着火了，三口人") is None
    assert net.match("昨天着火了，今晚没地方住了").name == "no_shelter"
