from bot.privacy.mask import mask


def test_masks_id_number_phone_and_card_in_chinese_text():
    text = "我身份证号220382195501011234，电话13912345678，卡号6222021234567890123，座机0434-7221234"
    masked = mask(text)
    assert "220382195501011234" not in masked and "220382********1234" in masked
    assert "13912345678" not in masked and "139****5678" in masked
    assert "6222021234567890123" not in masked and masked.count("*") >= 8 + 4 + 11
    assert "7221234" not in masked


def test_id_number_with_x_and_adjacent_cjk():
    assert mask("号22038219550101123X号") == "号220382********123X号"


def test_leaves_ordinary_numbers():
    text = "家里3口人，每月收入1500元，2026年申请"
    assert mask(text) == text
