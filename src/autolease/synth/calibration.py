"""Calibrated constants of the synthetic lease book, each with its source.

Evidence labels follow ``docs/domain.md`` (its §7 lists what comes from where):

* ``[S]`` stated in a source cited in docs/domain.md (section given),
* ``[D]`` derived by us from the public vehicle data sets of docs/domain.md §7.3 (the figure
  and how),
* ``[P]`` a plausible default with no source; change it freely.

The generator never reads those data sets at run time: the figures below were computed once
(pandas, least squares on log price) and baked in. See ``docs/synth.md`` for the table.
"""

from __future__ import annotations

from typing import Final

# --------------------------------------------------------------------------- cities
# (province, plate char, city, GB/T 2260 prefecture prefix, lat, lon, weight, income median)
# Weights: rough share of used-car finance applications [P]. Monthly income medians (CNY) of
# car-finance applicants [P]; relative order follows NBS 2023 urban disposable income.
# Prefecture prefixes are checked against identity.identifiers.current_region_codes() in tests.
CITIES: Final[tuple[tuple[str, str, str, str, float, float, float, int, str], ...]] = (
    ("北京市", "京", "北京市", "1101", 39.90, 116.40, 5.0, 13000, "ABCEFGHJKLMNPQ"),
    ("天津市", "津", "天津市", "1201", 39.13, 117.20, 2.0, 9500, "ABCDEFGHJKLMNQ"),
    ("上海市", "沪", "上海市", "3101", 31.23, 121.47, 5.0, 13500, "ABCDEFGHJKLMN"),
    ("重庆市", "渝", "重庆市", "5001", 29.56, 106.55, 3.0, 8000, "ABCDFGH"),
    ("河北省", "冀", "石家庄市", "1301", 38.04, 114.51, 2.5, 7000, "A"),
    ("河北省", "冀", "唐山市", "1302", 39.63, 118.18, 1.2, 7000, "B"),
    ("河北省", "冀", "保定市", "1306", 38.87, 115.46, 1.5, 6500, "F"),
    ("山西省", "晋", "太原市", "1401", 37.87, 112.55, 1.5, 7000, "A"),
    ("内蒙古自治区", "蒙", "呼和浩特市", "1501", 40.84, 111.75, 1.0, 7500, "A"),
    ("辽宁省", "辽", "沈阳市", "2101", 41.80, 123.43, 1.8, 7500, "A"),
    ("辽宁省", "辽", "大连市", "2102", 38.91, 121.61, 1.2, 8000, "B"),
    ("吉林省", "吉", "长春市", "2201", 43.82, 125.32, 1.2, 7000, "A"),
    ("黑龙江省", "黑", "哈尔滨市", "2301", 45.80, 126.53, 1.3, 6500, "A"),
    ("江苏省", "苏", "南京市", "3201", 32.06, 118.80, 2.0, 10000, "A"),
    ("江苏省", "苏", "无锡市", "3202", 31.49, 120.31, 1.2, 10000, "B"),
    ("江苏省", "苏", "徐州市", "3203", 34.20, 117.28, 1.2, 7500, "C"),
    ("江苏省", "苏", "苏州市", "3205", 31.30, 120.58, 2.2, 10500, "E"),
    ("浙江省", "浙", "杭州市", "3301", 30.27, 120.15, 2.5, 11000, "A"),
    ("浙江省", "浙", "宁波市", "3302", 29.87, 121.54, 1.5, 10500, "B"),
    ("浙江省", "浙", "温州市", "3303", 28.00, 120.67, 1.3, 9000, "C"),
    ("安徽省", "皖", "合肥市", "3401", 31.82, 117.23, 1.8, 8000, "A"),
    ("福建省", "闽", "福州市", "3501", 26.07, 119.30, 1.3, 8500, "A"),
    ("福建省", "闽", "厦门市", "3502", 24.48, 118.09, 1.0, 9500, "D"),
    ("江西省", "赣", "南昌市", "3601", 28.68, 115.86, 1.3, 7500, "A"),
    ("山东省", "鲁", "济南市", "3701", 36.65, 117.12, 2.0, 8500, "A"),
    ("山东省", "鲁", "青岛市", "3702", 36.07, 120.38, 2.0, 9000, "B"),
    ("山东省", "鲁", "临沂市", "3713", 35.10, 118.36, 1.0, 6500, "Q"),
    ("山东省", "鲁", "德州市", "3714", 37.43, 116.36, 0.6, 6000, "N"),
    ("河南省", "豫", "郑州市", "4101", 34.75, 113.63, 2.5, 7500, "A"),
    ("河南省", "豫", "洛阳市", "4103", 34.62, 112.45, 1.0, 6500, "C"),
    ("湖北省", "鄂", "武汉市", "4201", 30.59, 114.31, 2.5, 8500, "A"),
    ("湖南省", "湘", "长沙市", "4301", 28.23, 112.94, 2.2, 8500, "A"),
    ("广东省", "粤", "广州市", "4401", 23.13, 113.26, 3.5, 11500, "A"),
    ("广东省", "粤", "深圳市", "4403", 22.54, 114.06, 3.5, 13000, "B"),
    ("广东省", "粤", "佛山市", "4406", 23.02, 113.12, 1.8, 9500, "E"),
    ("广西壮族自治区", "桂", "南宁市", "4501", 22.82, 108.37, 1.5, 7000, "A"),
    ("海南省", "琼", "海口市", "4601", 20.04, 110.20, 0.6, 7500, "A"),
    ("四川省", "川", "成都市", "5101", 30.66, 104.06, 3.5, 8500, "A"),
    ("贵州省", "贵", "贵阳市", "5201", 26.65, 106.63, 1.2, 7000, "A"),
    ("云南省", "云", "昆明市", "5301", 25.04, 102.71, 1.5, 7500, "A"),
    ("西藏自治区", "藏", "拉萨市", "5401", 29.65, 91.13, 0.2, 7500, "A"),
    ("陕西省", "陕", "西安市", "6101", 34.34, 108.94, 2.2, 8000, "A"),
    ("甘肃省", "甘", "兰州市", "6201", 36.06, 103.83, 0.8, 6500, "A"),
    ("青海省", "青", "西宁市", "6301", 36.62, 101.78, 0.3, 6500, "A"),
    ("宁夏回族自治区", "宁", "银川市", "6401", 38.49, 106.23, 0.4, 7000, "A"),
    ("新疆维吾尔自治区", "新", "乌鲁木齐市", "6501", 43.83, 87.62, 0.8, 7500, "A"),
)

# Share of legitimate applicants whose ID (household registration) is from another province.
# [P] guided by the 2020 census floating population (about 27 % of residents live away from
# their registration); we use 0.25. Identity-theft victims and ring members are mostly elsewhere.
MIGRANT_SHARE: Final = 0.25
# Provinces that send most migrants (ID region of migrants) [P].
MIGRANT_SOURCE_PREFIXES: Final = ("41", "51", "34", "43", "42", "36", "45", "52", "37", "13")

# --------------------------------------------------------------------------- people
# Surnames in the order of the 2020 national name report (公安部户政管理研究中心); shares [P].
SURNAMES: Final = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾萧田董潘袁蔡蒋余"
    "于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷"
    "龙黎史陶贺毛郝顾龚邵万覃武钱戴严莫孔向常汤康易乔赖文"
)
SURNAME_TOP_SHARES: Final = (7.25, 7.19, 6.83, 5.38, 4.53, 3.08, 2.2, 2.14, 2.05, 1.89)
GIVEN_MALE: Final = (
    "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳东峰磊晨博文志建国海洋成亮"
)
GIVEN_FEMALE: Final = "芳娜敏静丽艳娟霞秀桂英玲萍红燕琳婷雪慧颖莉倩佳梅晶欣怡琪丹璐蕾悦瑶洁"
MALE_SHARE: Final = 0.78  # car-finance applicants skew male [P]
AGE_MEAN: Final = 35.0  # applicant age (years), normal truncated to 22-60 [P]
AGE_SD: Final = 8.5
INCOME_LOG_SD: Final = 0.45  # dispersion of declared monthly income [P]
CORPORATE_REVENUE_MEDIAN: Final = 150_000  # monthly revenue (CNY) of corporate lessees [P]

# Mobile prefixes from docs/domain.md §3.4 [S]; weights [P]. MVNO prefixes 170/171/162/165/167.
MOBILE_PREFIXES: Final = (
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "147",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "172",
    "178",
    "182",
    "183",
    "184",
    "187",
    "188",
    "198",
    "130",
    "131",
    "132",
    "145",
    "155",
    "156",
    "166",
    "175",
    "176",
    "185",
    "186",
    "133",
    "149",
    "153",
    "173",
    "177",
    "180",
    "181",
    "189",
    "191",
    "199",
)
MVNO_PREFIXES: Final = ("170", "171", "162", "165", "167")
MVNO_SHARE_LEGIT: Final = 0.03  # [P]
MVNO_SHARE_FRAUD: Final = 0.15  # [P]
PHONE_TENURE_MEDIAN_MONTHS: Final = 60.0  # carrier 在网时长 of legit applicants [P]

# UnionPay BINs (62xxxx, docs/domain.md §3.6 [S] for the 62 prefix; issuer BINs [P]) and lengths.
CARD_BINS: Final = (
    ("622202", 19),  # ICBC
    ("622848", 19),  # ABC
    ("621700", 19),  # CCB
    ("621661", 19),  # BOC
    ("622262", 19),  # BoCom
    ("622588", 16),  # CMB
    ("621799", 19),  # PSBC
    ("622908", 18),  # Industrial Bank
)
CARD_BIN_WEIGHTS: Final = (22, 18, 18, 12, 8, 10, 8, 4)

RELATIONS: Final = ("spouse", "parent", "child", "sibling", "relative", "friend", "colleague")
STREETS: Final = (
    "人民",
    "解放",
    "建设",
    "中山",
    "和平",
    "新华",
    "胜利",
    "光明",
    "幸福",
    "长江",
    "黄河",
    "朝阳",
    "文化",
    "友谊",
    "团结",
    "青年",
    "迎宾",
    "世纪",
    "滨江",
    "科技",
)
DISTRICT_WORDS: Final = (
    "东城",
    "西城",
    "南湖",
    "北苑",
    "高新",
    "经开",
    "新城",
    "老城",
    "滨湖",
    "城南",
    "城北",
    "江北",
)
COMPANY_WORDS: Final = (
    "华信",
    "恒达",
    "鑫源",
    "金桥",
    "宏图",
    "远航",
    "博瑞",
    "天成",
    "佳和",
    "瑞丰",
    "中联",
    "盛世",
    "东方",
    "安泰",
    "永兴",
    "正大",
)
INDUSTRIES: Final = (
    "科技",
    "物流",
    "贸易",
    "建筑",
    "餐饮",
    "电子",
    "商贸",
    "汽车服务",
    "装饰",
    "教育咨询",
    "医疗器械",
    "文化传媒",
)

# --------------------------------------------------------------------------- vehicles
# Vehicle age at application. Market mix H1 2024 [S] docs/domain.md §5.4: <3y 26.9 %, 3-6y 46.5 %,
# 7-10y 17.7 %, >10y 8.9 %. Lessors rarely finance cars over 10 years (docs/domain.md §2.2
# bank preset, §6.3), so the >10y bin is shrunk to 2 % and the rest renormalised.
AGE_BINS: Final = ((0.3, 3.0), (3.0, 7.0), (7.0, 10.0), (10.0, 13.0))
AGE_BIN_WEIGHTS: Final = (26.9, 46.5, 17.7, 2.0)

# Kilometres per year: lognormal, median 12,000 [D]. Medians in the public sets (§7.3): Tianchi
# (China) 10.7k km/yr (odometer capped at 150k), UK 9.3k, CarDekho (India) 10.0k; J.D. Power's
# China retention benchmark assumes 15k (docs/domain.md §5.2 [S]). We take 12k between them.
KM_PER_YEAR_MEDIAN: Final = 12_000.0
KM_PER_YEAR_LOG_SD: Final = 0.45  # [D] Tianchi km/yr IQR 8.5k-14.2k ~ log sd 0.38; widened
KM_BASELINE_PER_YEAR: Final = 15_000.0  # [S] docs/domain.md §5.2 benchmark mileage
# Value effect of mileage: -4 % per 10,000 km above baseline [D]: KBB GM 2005 regression
# -4.9 % per 10k km; UK log-price on log-km elasticity -0.02..-0.05 at typical mileage.
MILEAGE_EFFECT_PER_10K: Final = -0.04

# Depreciation shape: 15 %/yr years 1-3, 10 %/yr years 4-7, 5 %/yr after [S] docs/domain.md §5.1.
DEPRECIATION_STEPS: Final = ((3.0, 0.85), (7.0, 0.90), (99.0, 0.95))
# Brand-origin annual retention (scales the shape above so that the first three years retain
# r per year). [D] from log(price) ~ age (+ log km + engine) regressions on the public sets (§7.3):
# UK audi 0.863, bmw 0.866, merc 0.869, vw 0.861, ford 0.858, vauxhall 0.862 (controlled);
# CarDekho Honda 0.881, Toyota 0.875, Hyundai 0.872, Ford 0.861, Tata 0.859; Tianchi all
# brands 0.872. Japanese brands retain best in China (docs/domain.md §5.2 [S]: 71.91 %). Korean and
# Chinese ICE brands are set lower [P]. NEV: CADA 3-year residual June 2025 BEV 43.1 %, PHEV
# 44.0 % [S] -> 0.431^(1/3)=0.755, 0.44^(1/3)=0.760 [D]. Tesla: 74 % after one year [S] -> 0.78 [P].
RETENTION: Final = {
    "japanese": 0.875,
    "german": 0.865,
    "american": 0.855,
    "korean": 0.845,
    "chinese": 0.835,
    "bev": 0.755,
    "phev": 0.760,
    "tesla": 0.78,
}
# Value haircuts for accident grades (docs/domain.md §5.1 [S] for the grades; sizes [P]).
DAMAGE_HAIRCUT: Final = {"structural": 0.80, "flood": 0.65, "fire": 0.60, "total_loss": 0.50}
DAMAGE_RATES: Final = {"structural": 0.03, "flood": 0.005, "fire": 0.0015, "total_loss": 0.002}
MINOR_CLAIMS_PER_YEAR: Final = 0.12  # [P]
TRANSFERS_PER_YEAR: Final = 0.10  # [P]
ODOMETER_READINGS_PER_YEAR: Final = 0.9  # annual inspection / maintenance records [P]
VALUE_NOISE_SD: Final = 0.08  # condition and trim spread of the true value [P]
VALUATION_ERROR_SD: Final = 0.06  # vendor valuation error (精真估/车300 style) [P]

# (brand, model, WMI, fuel, MSRP CNY, origin, weight, launch year). WMIs from docs/domain.md §3.3
# [S] (plastbox/vin-decode table), LRW for Tesla Shanghai [P]. MSRP: new-car guide prices [P].
# Brand mix [D]/[P]: brand identities are our assumption; concentration is calibrated to the
# Tianchi sample's (anonymised) brand ids: top-1 20.7 %, top-5 62.9 %, top-10 80.9 % (ours:
# about 20 %, 56 %, 80 %). NEV share about 8 % of the book (used NEV 7.9 % of 2025 volume,
# docs/domain.md §7.1 [S]).
CATALOG: Final[tuple[tuple[str, str, str, str, int, str, float, int], ...]] = (
    ("大众", "朗逸", "LSV", "petrol", 120_000, "german", 5.0, 2008),
    ("大众", "速腾", "LFV", "petrol", 150_000, "german", 4.0, 2006),
    ("大众", "帕萨特", "LSV", "petrol", 210_000, "german", 3.0, 2005),
    ("大众", "迈腾", "LFV", "petrol", 220_000, "german", 3.0, 2007),
    ("大众", "途观L", "LSV", "petrol", 230_000, "german", 3.0, 2010),
    ("大众", "ID.4 CROZZ", "LFV", "bev", 200_000, "bev", 0.8, 2021),
    ("丰田", "卡罗拉", "LFM", "petrol", 120_000, "japanese", 3.5, 2004),
    ("丰田", "凯美瑞", "LVG", "petrol", 200_000, "japanese", 3.5, 2006),
    ("丰田", "RAV4荣放", "LFM", "petrol", 190_000, "japanese", 2.5, 2009),
    ("丰田", "雷凌双擎", "LVG", "hev", 140_000, "japanese", 1.5, 2016),
    ("本田", "思域", "LVH", "petrol", 130_000, "japanese", 2.5, 2006),
    ("本田", "雅阁", "LHG", "petrol", 180_000, "japanese", 3.5, 2003),
    ("本田", "CR-V", "LVH", "petrol", 190_000, "japanese", 2.5, 2004),
    ("本田", "飞度", "LHG", "petrol", 90_000, "japanese", 1.5, 2004),
    ("日产", "轩逸", "LGB", "petrol", 110_000, "japanese", 5.0, 2006),
    ("日产", "天籁", "LGB", "petrol", 180_000, "japanese", 1.5, 2004),
    ("日产", "奇骏", "LGB", "petrol", 190_000, "japanese", 1.5, 2008),
    ("别克", "英朗", "LSG", "petrol", 110_000, "american", 4.0, 2010),
    ("别克", "君威", "LSG", "petrol", 170_000, "american", 1.5, 2004),
    ("别克", "GL8", "LSG", "petrol", 280_000, "american", 1.5, 2005),
    ("宝马", "3系", "LBV", "petrol", 320_000, "german", 2.5, 2005),
    ("宝马", "5系", "LBV", "petrol", 450_000, "german", 1.5, 2006),
    ("宝马", "X3", "LBV", "petrol", 400_000, "german", 1.0, 2018),
    ("奔驰", "C级", "LE4", "petrol", 330_000, "german", 2.5, 2008),
    ("奔驰", "E级", "LE4", "petrol", 450_000, "german", 1.5, 2007),
    ("奔驰", "GLC", "LE4", "petrol", 420_000, "german", 1.0, 2016),
    ("奥迪", "A4L", "LFV", "petrol", 320_000, "german", 2.0, 2009),
    ("奥迪", "A6L", "LFV", "petrol", 430_000, "german", 2.0, 2005),
    ("奥迪", "Q5L", "LFV", "petrol", 400_000, "german", 1.0, 2018),
    ("比亚迪", "秦PLUS DM-i", "LGX", "phev", 110_000, "phev", 2.0, 2021),
    ("比亚迪", "宋PLUS DM-i", "LGX", "phev", 160_000, "phev", 1.5, 2021),
    ("比亚迪", "汉EV", "LGX", "bev", 220_000, "bev", 0.7, 2020),
    ("比亚迪", "元PLUS", "LGX", "bev", 140_000, "bev", 0.8, 2022),
    ("吉利", "帝豪", "L6T", "petrol", 80_000, "chinese", 2.0, 2010),
    ("吉利", "博越", "L6T", "petrol", 110_000, "chinese", 1.5, 2016),
    ("吉利", "星越L", "LB3", "petrol", 160_000, "chinese", 0.5, 2021),
    ("哈弗", "H6", "LGW", "petrol", 120_000, "chinese", 3.0, 2011),
    ("长城", "风骏5", "LGW", "diesel", 90_000, "chinese", 0.4, 2011),
    ("福特", "福克斯", "LVS", "petrol", 110_000, "american", 1.5, 2005),
    ("福特", "蒙迪欧", "LVS", "petrol", 180_000, "american", 1.0, 2005),
    ("雪佛兰", "科鲁泽", "LSG", "petrol", 100_000, "american", 1.5, 2009),
    ("雪佛兰", "迈锐宝XL", "LSG", "petrol", 170_000, "american", 1.0, 2016),
    ("现代", "伊兰特", "LBE", "petrol", 100_000, "korean", 1.5, 2004),
    ("现代", "途胜", "LBE", "petrol", 160_000, "korean", 1.0, 2005),
    ("起亚", "K3", "LJD", "petrol", 100_000, "korean", 1.0, 2013),
    ("起亚", "智跑", "LJD", "petrol", 140_000, "korean", 0.5, 2010),
    ("马自达", "昂克赛拉", "LVR", "petrol", 120_000, "japanese", 1.2, 2014),
    ("马自达", "CX-5", "LVR", "petrol", 180_000, "japanese", 0.8, 2013),
    ("奇瑞", "艾瑞泽5", "LVV", "petrol", 70_000, "chinese", 0.8, 2016),
    ("奇瑞", "瑞虎8", "LVV", "petrol", 110_000, "chinese", 0.7, 2018),
    ("五菱", "宏光", "LZW", "petrol", 60_000, "chinese", 1.0, 2010),
    ("五菱", "宏光MINIEV", "LZW", "bev", 40_000, "bev", 1.0, 2020),
    ("特斯拉", "Model 3", "LRW", "bev", 250_000, "tesla", 0.8, 2020),
    ("特斯拉", "Model Y", "LRW", "bev", 270_000, "tesla", 0.7, 2021),
    ("传祺", "GS4", "LMG", "petrol", 100_000, "chinese", 0.6, 2015),
    ("传祺", "M8", "LMG", "petrol", 250_000, "chinese", 0.4, 2018),
    ("名爵", "MG5", "LSJ", "petrol", 80_000, "chinese", 0.5, 2012),
    ("名爵", "名爵HS", "LSJ", "petrol", 120_000, "chinese", 0.5, 2018),
)
NEV_FUELS: Final = frozenset({"bev", "phev", "erev", "fcev"})
FUEL_TYPES: Final = ("petrol", "diesel", "hev", "phev", "bev", "erev", "fcev", "other")

# --------------------------------------------------------------------------- channel & terms
SP_GRADES: Final = ("A", "B", "C", "D")
SP_GRADE_WEIGHTS: Final = (0.2, 0.4, 0.3, 0.1)  # [P] docs/domain.md §4.1 grades A-D
APPS_PER_SP: Final = 800  # size of the SP network: about 1,000 SPs for 1M applications [P]
BAD_SP_SHARE: Final = 0.03  # SPs with packaged, high-FPD business [P]
COLLUDING_SP_SHARE: Final = 0.03  # SPs whose staff inflate prices [P]
PRODUCTS: Final = ("direct_lease", "sale_leaseback", "operating_lease")
PRODUCT_WEIGHTS: Final = (0.50, 0.45, 0.05)  # [P] 回租 is common in used-car leasing
TERMS: Final = (12, 24, 36, 48)
# 48 months only for cars up to 3 years old [P] (docs/domain.md §1.4).
TERM_WEIGHTS: Final = (0.10, 0.32, 0.48, 0.10)
LEAD_SOURCES: Final = ("sp", "partner_referral", "direct")
LEAD_WEIGHTS: Final = (0.80, 0.12, 0.08)  # [P]
PARTNERS: Final = tuple(
    f"{w}车务"
    for w in (
        "安信",
        "易贷",
        "快车",
        "融通",
        "车友",
        "好车",
        "速批",
        "金诚",
        "惠车",
        "顺心",
    )
)
# Of those partners the last three are "bad intermediaries" that straw buyers come through.
BAD_PARTNER_COUNT: Final = 3
# Used-car LTV benchmark 70 % (docs/domain.md §2.2 [S]); typical down payments 10-50 % [S] §1.4.
MAX_LTV_POLICY: Final = 0.70
# SPs know the lessor's caps and structure most deals to fit them [P]: an honest SP sets the
# financed amount at a target share of its own estimate of the car's value (the estimate is
# off by a few per cent), and the rest of the price is the down payment. The other deals are
# asked for as the customer wants them and may break the caps (the out-of-policy share).
STRUCTURED_SHARE: Final = 0.8
STRUCTURED_LTV: Final = (0.45, 0.68)  # uniform target of financed / value [P]
SP_VALUE_ERROR: Final = 0.07  # log-normal sigma of the SP's own value estimate [P]
MIN_DOWN_SHARE: Final = 0.10  # of the asking price, for a direct or operating lease [S] §1.4
# A structured deal also picks a term that keeps the car's age at the lease's end within the
# policy's limit (docs/domain.md §6) when a standard term does.
MAX_AGE_AT_MATURITY: Final = 8.0

# Month-of-year seasonality of applications (Spring Festival dip in Feb, year-end peak) [P].
MONTH_WEIGHTS: Final = (0.95, 0.70, 1.05, 1.00, 1.00, 1.02, 0.97, 1.00, 1.05, 1.00, 1.05, 1.15)
WEEKDAY_WEIGHTS: Final = (0.95, 0.95, 0.95, 0.95, 1.0, 1.20, 1.15)  # Mon..Sun [P]
HOUR_WEIGHTS: Final = (
    0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.5, 2.5, 3.0, 3.0,
    2.5, 2.5, 3.0, 3.0, 2.8, 2.5, 2.2, 2.0, 1.6, 1.2, 0.8, 0.4,
)  # fmt: skip

# --------------------------------------------------------------------------- device
USER_AGENTS: Final = (
    "Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 Chrome/120.0 Mobile AutoleaseH5/2.3",  # noqa: E501
    "Mozilla/5.0 (Linux; Android 13; PGT-AN10) AppleWebKit/537.36 Chrome/116.0 Mobile AutoleaseH5/2.3",  # noqa: E501
    "Mozilla/5.0 (Linux; Android 12; M2012K11AC) AppleWebKit/537.36 Chrome/110.0 Mobile AutoleaseH5/2.2",  # noqa: E501
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile AutoleaseH5/2.3",  # noqa: E501
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 Mobile AutoleaseH5/2.2",  # noqa: E501
    "Mozilla/5.0 (Linux; Android 11; SM-G9810) AppleWebKit/537.36 Chrome/104.0 Mobile AutoleaseH5/2.1",  # noqa: E501
)
# First octets of synthetic, province-consistent IPv4 blocks (Chinese allocations) [P].
IP_FIRST_OCTETS: Final = (36, 39, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114, 115,
                          116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 171, 175, 180,
                          182, 183, 218, 220, 221, 222)  # fmt: skip

# --------------------------------------------------------------------------- risk
# Target default (90+ DPD within the term) rate of booked contracts: about 6 % overall, higher
# for sale-and-leaseback and low SP grades [P]. Intended plain logistic-regression AUC on the
# observable features: 0.70-0.80 (a scorecard KS of 0.28-0.42 is reported in docs/domain.md §4.5
# [S], i.e. AUC about 0.70-0.78).
AUC_RANGE: Final = (0.70, 0.80)
FRAUD_DEFAULT_PROB: Final = {
    "gang_ring": 0.85,  # 德州 case: 90 % went overdue (docs/domain.md §4.4 [S])
    "identity_theft": 0.80,
    "straw_buyer": 0.70,
    "inflated_price": 0.55,
    "double_financing": 0.65,
    "odometer_rollback": 0.12,
    "bad_sp": 0.75,
}
