"""Words residents use for the people of a household, as regex alternations. One table, read by the
household-size reader (who is named) and the income reader (who earns a figure: "我5000 我媳妇3000")."""
from __future__ import annotations

# Spouse, parents, children and in-laws: the people a household's income is said of.
CLOSE = (r"老伴儿?|老头子?|老太太?|老婆子?|儿媳妇?|媳妇儿?|丈夫|爱人|对象|老公|男人|妈|娘|爸|爹|儿子|闺女|女儿|姑娘"
         r"|女婿|孩子")
# Grandchildren, grandparents and siblings: named when counting who lives at home, rarely as earners.
WIDER = r"外孙女|外孙子?|孙女|孙子|娃|老疙瘩|小子|丫头|公公|婆婆|爷爷|奶奶|姥姥|姥爷|丈母娘|老丈人|丈人|哥|姐|弟弟?|妹妹?"
