"""The reason codes with fixed texts, in plain Chinese and English (pure, no imports).

One `Entry` per code: the stage that emits it, its usual severity, what it means (written
for a person at a dealer's lot: no model jargon) and what the applicant can do. Stages whose
texts do not depend on the application (fraud, external checks, biometrics) take their text
from here through `text`; codes whose texts carry the application's own figures (ages,
ratios, the policy's thresholds) keep those texts where they are made, and their entry here
gives the general meaning. Families generated from other tables (credit grades and factors,
fraud factors) are added in `reasons.catalogue`.

To add codes (a new stage, a new provider), add entries to `ENTRIES`, or call
`reasons.catalogue.extend` from the module that emits them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from autolease.channel.reasons import REASONS as CHANNEL_REASONS

SeverityName = Literal["info", "refer", "decline"]
KindName = Literal["reason", "offer"]


@dataclass(frozen=True)
class Action:
    """What the applicant (or the SP for them) can do about a reason."""

    en: str
    zh: str


@dataclass(frozen=True)
class Entry:
    code: str
    stage: str
    severity: SeverityName  # the usual one; settings can lower or raise some (see the text)
    text_en: str
    text_zh: str
    action: Action
    kind: KindName = "reason"  # "reason": on a decision; "offer": on an offer (departure, note)


NOTHING = Action(
    "Nothing to do: this is for information only.",
    "无需处理：仅供参考。",
)
WAIT = Action(
    "Nothing to do now: a reviewer will look at the application and may ask for documents.",
    "暂无需处理：审核人员会人工审核，可能要求补充材料。",
)
CORRECT = Action(
    "Check what was typed against the original document, correct it and submit again.",
    "请对照证件原件核对所填信息，改正后重新提交。",
)
VEHICLE_PAPERS = Action(
    "Check the VIN, plate, brand and powertrain against the 行驶证 and correct them, or bring "
    "the vehicle's papers for a review.",
    "请对照行驶证核对车架号、号牌、品牌和动力类型并改正，或提供车辆证件以便审核。",
)
DECLINED = Action(
    "The lease cannot be offered. If you think this is wrong, ask for a human review of the "
    "decision.",
    "本次无法办理。如认为有误，可申请人工复核。",
)
CHANGE_REQUEST = Action(
    "Change the request (a larger down payment, a smaller amount or another term) and apply again.",
    "请调整申请（提高首付、降低融资金额或更换租期）后重新申请。",
)
RETAKE = Action(
    "Take it again in good light, with only the applicant in view, and submit again.",
    "请在光线充足处重新拍摄或录制，画面中只有申请人本人，然后重新提交。",
)
ADD_SAMPLE = Action(
    "Optional: adding it can make the review faster.",
    "可选：补充后可加快审核。",
)
OWN_PHONE = Action(
    "Use a mobile number registered under the applicant's own name and in service.",
    "请使用申请人本人实名登记且正常使用的手机号。",
)
OWN_CARD = Action(
    "Use a bank card in the applicant's own name, and check the card number.",
    "请使用申请人本人名下的银行卡，并核对卡号。",
)
CREDIT_REPORT = Action(
    "Get the applicant's credit report (个人信用报告) from the PBOC Credit Reference Center; "
    "if something in it is wrong, ask the center to correct it.",
    "可向中国人民银行征信中心查询个人信用报告；如有错误，可申请更正。",
)
COURT = Action(
    "Settle the court matter first; a review is possible with proof that it is closed.",
    "请先了结相关法院案件；凭结案证明可申请复核。",
)
TRY_LATER = Action(
    "Nothing to do now: a check could not be completed; a reviewer will finish it.",
    "暂无需处理：有一项核验暂时无法完成，审核人员会处理。",
)
SEE_OFFER = Action(
    "Read the offer's figures; ask the SP for another structure if this one does not suit.",
    "请查看方案中的具体数字；如不合适，可请服务商调整方案。",
)


def _e(
    code: str,
    stage: str,
    severity: SeverityName,
    en: str,
    zh: str,
    action: Action,
    kind: KindName = "reason",
) -> Entry:
    return Entry(code, stage, severity, en, zh, action, kind)


_IDENTITY = (
    _e(
        "ID_INVALID",
        "identity",
        "decline",
        "the resident ID number is not valid (wrong length, date, region or check digit)",
        "身份证号码无效（位数、日期、地区码或校验位有误）",
        CORRECT,
    ),
    _e(
        "ID_UNDERAGE",
        "identity",
        "decline",
        "the applicant is younger than the minimum age",
        "申请人未达到最低年龄",
        DECLINED,
    ),
    _e(
        "AGE_AT_MATURITY",
        "identity",
        "refer",
        "the applicant would be older than the maximum age when the lease ends",
        "租期结束时申请人将超过最高年龄",
        CHANGE_REQUEST,
    ),
    _e(
        "ID_DECLARED_MISMATCH",
        "identity",
        "refer",
        "the birth date or gender entered does not match the ID number",
        "填写的出生日期或性别与身份证号码不一致",
        CORRECT,
    ),
    _e(
        "PHONE_VIRTUAL_OPERATOR",
        "identity",
        "info",
        "the mobile number belongs to a virtual operator (170/171 numbers etc.)",
        "手机号属于虚拟运营商号段（如170、171）",
        NOTHING,
    ),
    _e(
        "USCC_INVALID",
        "identity",
        "decline",
        "the company's unified social credit code is not valid",
        "企业统一社会信用代码无效",
        CORRECT,
    ),
    _e(
        "USCC_ENTITY_NOT_ALLOWED",
        "identity",
        "decline",
        "the company is not an enterprise or a sole trader, so it cannot lease",
        "该主体不是企业或个体工商户，不能办理租赁",
        DECLINED,
    ),
)

_BIOMETRICS = (
    _e(
        "NO_FACE",
        "identity",
        "refer",
        "no face can be seen in the photo",
        "照片中看不到人脸",
        RETAKE,
    ),
    _e(
        "MULTIPLE_FACES",
        "identity",
        "refer",
        "more than one face is in the photo",
        "照片中有不止一张人脸",
        RETAKE,
    ),
    _e(
        "LOW_QUALITY",
        "identity",
        "refer",
        "the face is too small, blurred, too dark or too bright to compare",
        "人脸过小、模糊、过暗或过亮，无法比对",
        RETAKE,
    ),
    _e(
        "FACE_MISMATCH",
        "identity",
        "refer",
        "the selfie and the ID photo do not look like the same person",
        "自拍与身份证照片看起来不是同一人",
        RETAKE,
    ),
    _e(
        "LIVENESS_NO_BLINK",
        "identity",
        "refer",
        "no blink was seen in the live check",
        "活体检测中未看到眨眼",
        RETAKE,
    ),
    _e(
        "LIVENESS_NO_HEAD_TURN",
        "identity",
        "refer",
        "the head turn asked for was not seen in the live check",
        "活体检测中未看到要求的转头动作",
        RETAKE,
    ),
    _e(
        "LIVENESS_TOO_FEW_FRAMES",
        "identity",
        "refer",
        "the live check video is too short or the face is not clear enough to judge",
        "活体检测视频过短或人脸不清晰，无法判断",
        RETAKE,
    ),
    _e(
        "LIVENESS_FACE_LOST",
        "identity",
        "refer",
        "the face left the picture, or another face came in, too often during the live check",
        "活体检测中人脸多次离开画面或出现他人",
        RETAKE,
    ),
    _e(
        "LIVENESS_FACE_CHANGED",
        "identity",
        "refer",
        "the face changed during the live check, or is not the face of the selfie",
        "活体检测中人脸发生变化，或与自拍不是同一人",
        RETAKE,
    ),
    _e(
        "VOICE_NO_SPEECH",
        "identity",
        "info",
        "no speech can be heard in the recording",
        "录音中听不到说话声",
        RETAKE,
    ),
    _e(
        "VOICE_TOO_SHORT",
        "identity",
        "info",
        "the recording has too little speech",
        "录音中说话时间太短",
        RETAKE,
    ),
    _e(
        "VOICE_LOW_QUALITY",
        "identity",
        "info",
        "the recording is distorted or too loud",
        "录音失真或音量过大",
        RETAKE,
    ),
    _e(
        "VOICE_MISMATCH",
        "identity",
        "refer",
        "the voice does not match the voice recorded for this applicant before",
        "声音与该申请人之前登记的声音不一致",
        WAIT,
    ),
    _e(
        "VOICE_BLACKLIST_HIT",
        "identity",
        "refer",
        "the voice matches a voice from a known fraud case",
        "声音与已知欺诈案件中的声音相符",
        WAIT,
    ),
    _e(
        "VOICE_NOT_ENROLLED",
        "identity",
        "info",
        "no earlier voice of this applicant to compare with; only fraud cases were checked",
        "该申请人没有登记过声音，仅与欺诈案件库做了比对",
        NOTHING,
    ),
    _e(
        "SELFIE_MISSING",
        "identity",
        "info",
        "no selfie was sent with the application",
        "申请未附自拍照",
        ADD_SAMPLE,
    ),
    _e(
        "ID_PHOTO_MISSING",
        "identity",
        "info",
        "no ID photo was sent, and none is on file to compare the selfie with",
        "申请未附身份证照片，也没有可比对的已登记照片",
        ADD_SAMPLE,
    ),
    _e(
        "VOICE_SAMPLE_MISSING",
        "identity",
        "info",
        "no voice recording was sent",
        "申请未附录音",
        ADD_SAMPLE,
    ),
    _e(
        "LIVENESS_SAMPLE_MISSING",
        "identity",
        "info",
        "no live check video was sent",
        "申请未附活体检测视频",
        ADD_SAMPLE,
    ),
    _e(
        "BIOMETRICS_UNAVAILABLE",
        "identity",
        "refer",
        "photos or recordings were sent, but face and voice checks are not installed here "
        "(info when none were sent)",
        "已提交照片或录音，但本系统未安装人脸和声音核验（未提交时仅作提示）",
        TRY_LATER,
    ),
)

_CHECKS = (
    _e(
        "CARRIER_3F_MISMATCH",
        "identity_checks",
        "refer",
        "the name, ID number and mobile number do not match the phone company's real-name record",
        "姓名、身份证号与手机号和运营商实名登记不一致",
        OWN_PHONE,
    ),
    _e(
        "CARRIER_NOT_FOUND",
        "identity_checks",
        "refer",
        "the phone company has no real-name record of this mobile number",
        "运营商没有该手机号的实名登记",
        OWN_PHONE,
    ),
    _e(
        "PHONE_INACTIVE",
        "identity_checks",
        "refer",
        "the mobile number is not in service",
        "该手机号未在正常使用",
        OWN_PHONE,
    ),
    _e(
        "PHONE_TENURE_SHORT",
        "identity_checks",
        "info",
        "the mobile number has been in use for only a short time",
        "该手机号使用时间较短",
        NOTHING,
    ),
    _e(
        "BANK_CARD_4F_MISMATCH",
        "identity_checks",
        "refer",
        "the bank says the card does not belong to the applicant",
        "银行核验显示该卡不属于申请人",
        OWN_CARD,
    ),
    _e(
        "BANK_CARD_NOT_FOUND",
        "identity_checks",
        "refer",
        "the bank does not know this card",
        "银行查无此卡",
        OWN_CARD,
    ),
    _e(
        "BUREAU_THIN_FILE",
        "identity_checks",
        "info",
        "the applicant has no credit record yet (白户): no borrowing history to judge by",
        "申请人尚无信用记录（白户），没有借贷历史可参考",
        NOTHING,
    ),
    _e(
        "BUREAU_MULTI_LENDING",
        "identity_checks",
        "refer",
        "the credit report shows many recent loan applications or loans with many lenders",
        "信用报告显示近期申请借款较多，或在多家机构有借款",
        CREDIT_REPORT,
    ),
    _e(
        "COURT_DISHONEST",
        "identity_checks",
        "decline",
        "the applicant is on the court's list of people who did not obey a judgment (失信被执行人)",
        "申请人被法院列为失信被执行人",
        COURT,
    ),
    _e(
        "COURT_SPENDING_BAN",
        "identity_checks",
        "decline",
        "a court has banned the applicant from high spending (限制高消费)",
        "申请人被法院限制高消费",
        COURT,
    ),
    _e(
        "COURT_ENFORCED",
        "identity_checks",
        "refer",
        "a court is enforcing a debt of the applicant (被执行人)",
        "申请人有被法院强制执行的债务",
        COURT,
    ),
    _e(
        "CARRIER_CHECK_UNAVAILABLE",
        "identity_checks",
        "refer",
        "the phone company check could not be done just now",
        "暂时无法完成运营商核验",
        TRY_LATER,
    ),
    _e(
        "BANK_CARD_CHECK_UNAVAILABLE",
        "identity_checks",
        "refer",
        "the bank card check could not be done just now",
        "暂时无法完成银行卡核验",
        TRY_LATER,
    ),
    _e(
        "BUREAU_UNAVAILABLE",
        "identity_checks",
        "refer",
        "the credit report could not be fetched just now",
        "暂时无法查询信用报告",
        TRY_LATER,
    ),
    _e(
        "COURT_CHECK_UNAVAILABLE",
        "identity_checks",
        "refer",
        "the court lists could not be checked just now",
        "暂时无法查询法院名单",
        TRY_LATER,
    ),
    _e(
        "CARRIER_CHECK_TIMEOUT",
        "identity_checks",
        "refer",
        "the phone company did not answer in time",
        "运营商核验未能及时返回结果",
        TRY_LATER,
    ),
    _e(
        "BANK_CARD_CHECK_TIMEOUT",
        "identity_checks",
        "refer",
        "the bank card check did not answer in time",
        "银行卡核验未能及时返回结果",
        TRY_LATER,
    ),
    _e(
        "BUREAU_TIMEOUT",
        "identity_checks",
        "refer",
        "the credit bureau did not answer in time",
        "征信查询未能及时返回结果",
        TRY_LATER,
    ),
    _e(
        "COURT_CHECK_TIMEOUT",
        "identity_checks",
        "refer",
        "the court lists did not answer in time",
        "法院名单查询未能及时返回结果",
        TRY_LATER,
    ),
)

_VEHICLE = (
    _e(
        "AMOUNT_ABOVE_PRICE",
        "vehicle",
        "refer",
        "the amount asked for is more than the car's price",
        "申请的融资金额高于车价",
        CHANGE_REQUEST,
    ),
    _e(
        "VIN_CHECK_FAILED",
        "vehicle",
        "decline",
        "the VIN (车架号) is not valid: wrong length, letters or check digit",
        "车架号无效：位数、字符或校验位有误",
        VEHICLE_PAPERS,
    ),
    _e(
        "VIN_CHECK_DIGIT_WARNING",
        "vehicle",
        "info",
        "the VIN's check digit does not add up (not required for cars made outside China and "
        "North America)",
        "车架号校验位不符（非中国和北美生产的车辆不强制）",
        NOTHING,
    ),
    _e(
        "VIN_MODEL_YEAR_MISMATCH",
        "vehicle",
        "refer",
        "the model year in the VIN does not fit the first registration date",
        "车架号中的年款与初次登记日期不符",
        VEHICLE_PAPERS,
    ),
    _e(
        "WMI_UNKNOWN",
        "vehicle",
        "info",
        "the maker code at the start of the VIN is not in our list, so the brand was not checked",
        "车架号开头的厂商代码不在对照表中，未核对品牌",
        NOTHING,
    ),
    _e(
        "BRAND_MISMATCH",
        "vehicle",
        "refer",
        "the brand entered is not the maker in the VIN",
        "填写的品牌与车架号中的厂商不符",
        VEHICLE_PAPERS,
    ),
    _e(
        "PLATE_INVALID",
        "vehicle",
        "refer",
        "the number plate is not in a valid format",
        "号牌格式无效",
        VEHICLE_PAPERS,
    ),
    _e(
        "PLATE_POWERTRAIN_MISMATCH",
        "vehicle",
        "refer",
        "the plate colour does not fit the powertrain (green plates are for new-energy cars)",
        "号牌类型与动力类型不符（绿牌为新能源车）",
        VEHICLE_PAPERS,
    ),
    _e(
        "PRICE_ABOVE_VALUE",
        "vehicle",
        "refer",
        "the price is well above what cars like this sell for",
        "车价明显高于同类车辆的市场价",
        WAIT,
    ),
    _e(
        "INVOICE_ABOVE_VALUE",
        "vehicle",
        "refer",
        "the invoice price is well above what cars like this sell for",
        "发票价格明显高于同类车辆的市场价",
        WAIT,
    ),
    _e(
        "VALUATION_UNAVAILABLE",
        "vehicle",
        "refer",
        "the car could not be valued, so the asking price is used instead (info where "
        "settings allow)",
        "暂时无法评估车辆价值，以报价代替（按设置可仅作提示）",
        WAIT,
    ),
    _e(
        "LTV_ABOVE_LIMIT",
        "vehicle",
        "refer",
        "the amount asked for is too high a share of the car's value",
        "融资金额占车辆价值的比例过高",
        CHANGE_REQUEST,
    ),
    _e(
        "HISTORY_UNAVAILABLE",
        "vehicle",
        "info",
        "no insurance-claim or maintenance history was found for this VIN",
        "未查到该车架号的保险理赔或维修保养记录",
        NOTHING,
    ),
    _e(
        "HISTORY_CHECK_TIMEOUT",
        "vehicle",
        "refer",
        "the vehicle history service did not answer in time",
        "车辆历史记录查询未能及时返回结果",
        TRY_LATER,
    ),
    _e(
        "HISTORY_CHECK_UNAVAILABLE",
        "vehicle",
        "refer",
        "the vehicle history could not be checked just now",
        "暂时无法查询车辆历史记录",
        TRY_LATER,
    ),
    _e(
        "ODOMETER_ROLLBACK",
        "vehicle",
        "decline",
        "the odometer has been turned back: the mileage entered is below an earlier reading",
        "里程表被调低：填写的里程低于以往记录",
        DECLINED,
    ),
    _e(
        "TOTAL_LOSS",
        "vehicle",
        "decline",
        "the car was once written off by an insurer",
        "该车曾被保险公司全损定损",
        DECLINED,
    ),
    _e(
        "FIRE_DAMAGE",
        "vehicle",
        "decline",
        "the car was once damaged by fire",
        "该车有火烧理赔记录",
        DECLINED,
    ),
    _e(
        "FLOOD_DAMAGE",
        "vehicle",
        "decline",
        "the car was once damaged by flood water",
        "该车有泡水理赔记录",
        DECLINED,
    ),
    _e(
        "ACCIDENT_SEVERE",
        "vehicle",
        "refer",
        "the car had a serious accident that may have damaged its frame",
        "该车有严重事故记录，车身结构可能受损",
        WAIT,
    ),
    _e(
        "ACCIDENT_MODERATE",
        "vehicle",
        "info",
        "the car had one or more moderate accidents",
        "该车有一般事故记录",
        NOTHING,
    ),
    _e(
        "MILEAGE_IMPLAUSIBLE",
        "vehicle",
        "refer",
        "the mileage entered is hard to believe for the car's age",
        "填写的里程与车龄明显不符",
        VEHICLE_PAPERS,
    ),
    _e(
        "TRANSFERS_MANY",
        "vehicle",
        "info",
        "the car has changed owners many times",
        "该车过户次数较多",
        NOTHING,
    ),
    _e(
        "TRANSFER_RECENT",
        "vehicle",
        "info",
        "the car changed owners shortly before the application",
        "该车在申请前不久刚过户",
        NOTHING,
    ),
)

_FRAUD = (
    _e(
        "FRAUD_CONFIRMED_LINK",
        "fraud",
        "decline",
        "the ID, phone, bank card, device, address or car was used in an application proven to "
        "be fraud",
        "身份证、手机号、银行卡、设备、地址或车辆曾出现在已确认的欺诈申请中",
        DECLINED,
    ),
    _e(
        "FRAUD_NEAR_CONFIRMED",
        "fraud",
        "refer",
        "the application is linked, through one other application, to a proven fraud",
        "本申请通过另一笔申请与已确认的欺诈相关联",
        WAIT,
    ),
    _e(
        "FRAUD_RING_SUSPECTED",
        "fraud",
        "refer",
        "the details are shared with several other people across SPs: a possible fraud group",
        "申请信息与多个渠道的多人共用，可能涉及欺诈团伙",
        WAIT,
    ),
    _e(
        "FRAUD_SCORE_HIGH",
        "fraud",
        "refer",
        "the application looks like past fraud cases in several ways",
        "本申请在多个方面与以往欺诈案件相似",
        WAIT,
    ),
    _e(
        "FRAUD_MODEL_UNAVAILABLE",
        "fraud",
        "refer",
        "the fraud check is not set up here, so a person must check for fraud",
        "本系统未配置反欺诈模型，需人工核查",
        WAIT,
    ),
    _e(
        "FRAUD_CHECKS_INCOMPLETE",
        "fraud",
        "info",
        "some fraud checks (repeat applications, shared details) could not be run",
        "部分反欺诈核查（重复申请、信息共用）未能进行",
        NOTHING,
    ),
    _e(
        "DEVICE_EMULATOR",
        "fraud",
        "refer",
        "the application was sent from a phone emulator",
        "申请来自手机模拟器",
        WAIT,
    ),
    _e(
        "DEVICE_AUTOMATION",
        "fraud",
        "refer",
        "the application was filled in by a program, not by a person",
        "申请由程序自动填写，而非人工填写",
        WAIT,
    ),
    _e(
        "DEVICE_FOREIGN_IP",
        "fraud",
        "refer",
        "the application was sent from an internet address outside mainland China",
        "申请来自中国大陆以外的网络地址",
        WAIT,
    ),
    _e(
        "DEVICE_LOCALE_MISMATCH",
        "fraud",
        "info",
        "the device's time zone or language is not Chinese",
        "设备时区或语言不是中文",
        NOTHING,
    ),
    _e(
        "DEVICE_IP_REGION_MISMATCH",
        "fraud",
        "info",
        "the internet address is in another province than the applicant's home",
        "网络地址所在省份与申请人居住地不同",
        NOTHING,
    ),
    _e(
        "DEVICE_MANY_IDENTITIES",
        "fraud",
        "refer",
        "the same device sent applications for many different people at several SPs",
        "同一设备在多个渠道为多人提交申请",
        WAIT,
    ),
    _e(
        "VELOCITY_ID_SHOPPING",
        "fraud",
        "refer",
        "the applicant applied at several other SPs in the last 30 days",
        "申请人近30天在多个其他渠道申请",
        WAIT,
    ),
    _e(
        "VELOCITY_CARD_SHARED",
        "fraud",
        "refer",
        "the bank card was used by another person in the last 90 days",
        "该银行卡近90天被他人使用过",
        OWN_CARD,
    ),
    _e(
        "VELOCITY_PHONE_SHARED",
        "fraud",
        "refer",
        "the mobile number was used by several other people in the last 90 days",
        "该手机号近90天被多人使用过",
        OWN_PHONE,
    ),
    _e(
        "VELOCITY_ID_BURST",
        "fraud",
        "info",
        "the applicant sent several applications in the last 7 days",
        "申请人近7天多次申请",
        NOTHING,
    ),
    _e(
        "VELOCITY_VIN_SEEN",
        "fraud",
        "info",
        "the car was in another application in the last 90 days",
        "该车近90天出现在其他申请中",
        NOTHING,
    ),
)

_CREDIT = (
    _e(
        "CREDIT_MODEL_UNAVAILABLE",
        "credit",
        "refer",
        "the credit check is not set up here, so a person must assess the credit",
        "本系统未配置信用评估模型，需人工评估",
        WAIT,
    ),
)


def _missing(field_code: str, en: str, zh: str) -> Entry:
    return _e(
        f"DATA_MISSING_{field_code}",
        "policy",
        "refer",
        f"{en} is not known, so a person must decide",
        f"缺少{zh}，需人工决定",
        WAIT,
    )


_POLICY = (
    _missing("APPLICANT_AGE", "the applicant's age", "申请人年龄"),
    _missing(
        "APPLICANT_AGE_AT_MATURITY",
        "the applicant's age when the lease ends",
        "租期结束时的申请人年龄",
    ),
    _missing("COMPANY_ENTITY_TYPE", "the company's type", "企业主体类型"),
    _missing("VEHICLE_AGE_YEARS", "the car's age", "车龄"),
    _missing(
        "VEHICLE_AGE_AT_MATURITY_YEARS", "the car's age when the lease ends", "租期结束时的车龄"
    ),
    _missing("MILEAGE_KM", "the mileage", "里程"),
    _missing("LTV", "the share of the car's value financed", "融资额占车辆估值的比例"),
    _missing("PRICE_TO_VALUE", "how the price compares with the car's value", "车价与估值之比"),
    _missing("CREDIT_PD", "the credit assessment", "信用评估结果"),
    _missing("CREDIT_GRADE", "the credit grade", "信用等级"),
    _missing("FRAUD_SCORE", "the fraud check result", "反欺诈核查结果"),
    _missing("HARD_QUERIES_90D", "the number of recent credit checks", "近期征信查询次数"),
    _missing(
        "INSTITUTIONS_APPLIED_30D", "the number of recent loan applications", "近期借款申请数"
    ),
    _missing("OPEN_CREDIT_INSTITUTIONS", "the number of lenders with open loans", "在贷机构数"),
    _missing("COURT_DISHONEST", "the court defaulter-list result", "失信被执行人查询结果"),
    _missing("COURT_SPENDING_BAN", "the court spending-ban result", "限制高消费查询结果"),
    _missing("COURT_ENFORCED", "the court enforcement result", "被执行人查询结果"),
    _missing("SP_GRADE", "the SP's grade", "服务商等级"),
    _e(
        "APPLICANT_AGE_BELOW_MIN",
        "policy",
        "decline",
        "the applicant is under 18",
        "申请人未满18岁",
        DECLINED,
    ),
    _e(
        "APPLICANT_AGE_ABOVE_MAX",
        "policy",
        "decline",
        "the applicant is older than the policy's maximum age",
        "申请人超过政策规定的最高年龄",
        DECLINED,
    ),
    _e(
        "APPLICANT_AGE_AT_MATURITY_ABOVE_MAX",
        "policy",
        "decline",
        "the applicant would be too old when the lease ends",
        "租期结束时申请人年龄超过上限",
        CHANGE_REQUEST,
    ),
    _e(
        "CORPORATE_ENTITY_NOT_ALLOWED",
        "policy",
        "decline",
        "the company is not an enterprise or a sole trader, so it cannot lease",
        "该主体不是企业或个体工商户，不能办理租赁",
        DECLINED,
    ),
    _e(
        "CORPORATE_OPERATING_LEASE",
        "policy",
        "refer",
        "an operating lease to a company is always checked by a person",
        "企业办理经营性租赁需人工审核",
        WAIT,
    ),
    _e(
        "TERM_NOT_OFFERED",
        "policy",
        "decline",
        "the lease term asked for is not offered",
        "所申请的租期不在可选范围内",
        CHANGE_REQUEST,
    ),
    _e(
        "TERM_48_VEHICLE_TOO_OLD",
        "policy",
        "decline",
        "a 48-month lease is only for cars up to 3 years old",
        "48期仅适用于3年以内的车辆",
        CHANGE_REQUEST,
    ),
    _e(
        "VEHICLE_AGE_ABOVE_MAX",
        "policy",
        "decline",
        "the car is too old for this policy",
        "车龄超过政策上限",
        DECLINED,
    ),
    _e(
        "VEHICLE_AGE_AT_MATURITY_ABOVE_MAX",
        "policy",
        "decline",
        "the car would be too old when the lease ends",
        "租期结束时车龄超过上限",
        CHANGE_REQUEST,
    ),
    _e(
        "MILEAGE_ABOVE_MAX",
        "policy",
        "decline",
        "the car has too many kilometres for this policy",
        "车辆里程超过政策上限",
        DECLINED,
    ),
    _e(
        "VEHICLE_FLOOD_DAMAGE",
        "policy",
        "decline",
        "the car was once damaged by flood water",
        "该车有泡水记录",
        DECLINED,
    ),
    _e(
        "VEHICLE_FIRE_DAMAGE",
        "policy",
        "decline",
        "the car was once damaged by fire",
        "该车有火烧记录",
        DECLINED,
    ),
    _e(
        "VEHICLE_TOTAL_LOSS",
        "policy",
        "decline",
        "the car was once written off by an insurer",
        "该车有全损记录",
        DECLINED,
    ),
    _e(
        "LTV_ABOVE_MAX",
        "policy",
        "decline",
        "the amount asked for is too high a share of the car's value",
        "融资金额占车辆估值的比例超过上限",
        CHANGE_REQUEST,
    ),
    _e(
        "LTV_ABOVE_GRADE_CAP",
        "policy",
        "refer",
        "for the applicant's credit grade, the amount is too high a share of the car's value",
        "按申请人的信用等级，融资金额占车辆估值的比例过高",
        CHANGE_REQUEST,
    ),
    _e(
        "PRICE_TO_VALUE_ABOVE_MAX",
        "policy",
        "refer",
        "the price is well above the car's value",
        "车价明显高于车辆估值",
        WAIT,
    ),
    _e(
        "PD_DECLINE_BAND",
        "policy",
        "decline",
        "the credit assessment puts the risk of not repaying too high",
        "信用评估显示不能按时还款的风险过高",
        DECLINED,
    ),
    _e(
        "PD_REFER_BAND",
        "policy",
        "refer",
        "the credit assessment puts the risk of not repaying in a range a person must check",
        "信用评估显示还款风险需人工审核",
        WAIT,
    ),
    _e(
        "CREDIT_GRADE_E",
        "policy",
        "decline",
        "the credit grade is E, the lowest",
        "信用等级为最低的E级",
        DECLINED,
    ),
    _e(
        "FRAUD_DECLINE_BAND",
        "policy",
        "decline",
        "the fraud check found the application very similar to past fraud",
        "反欺诈核查显示本申请与以往欺诈高度相似",
        DECLINED,
    ),
    _e(
        "FRAUD_REFER_BAND",
        "policy",
        "refer",
        "the fraud check found signs that a person must look at",
        "反欺诈核查发现需人工查看的迹象",
        WAIT,
    ),
    _e(
        "FRAUD_RING_LINK",
        "policy",
        "refer",
        "the application is linked to a possible fraud group",
        "本申请与疑似欺诈团伙有关联",
        WAIT,
    ),
    _e(
        "MULTI_LENDING_QUERIES",
        "policy",
        "refer",
        "lenders checked the applicant's credit many times in the last 90 days",
        "近90天有较多机构查询申请人征信",
        CREDIT_REPORT,
    ),
    _e(
        "MULTI_LENDING_APPLICATIONS",
        "policy",
        "refer",
        "the applicant applied to many lenders in the last 30 days",
        "申请人近30天向较多机构申请借款",
        CREDIT_REPORT,
    ),
    _e(
        "MULTI_LENDING_OPEN_CREDIT",
        "policy",
        "refer",
        "the applicant already has loans with many lenders",
        "申请人已在较多机构有借款",
        CREDIT_REPORT,
    ),
    _e(
        "SP_GRADE_D",
        "policy",
        "refer",
        "the SP that sent the application is on the lowest grade, so a person checks it",
        "进件服务商为最低等级，需人工审核",
        WAIT,
    ),
    _e(
        "STAGE_DECLINE",
        "policy",
        "decline",
        "one of the checks above found a reason to decline (see that reason)",
        "上面的某项核查发现了拒绝原因（见该原因）",
        DECLINED,
    ),
    _e(
        "POLICY_ERROR",
        "policy",
        "refer",
        "the decision rules could not be run, so a person will decide",
        "审批规则暂时无法运行，将由人工决定",
        WAIT,
    ),
)

_OFFERS = (
    _e(
        "NO_FEASIBLE_OFFER",
        "offers",
        "info",
        "no lease product fits the request; the reason names what stands in the way and the "
        "smallest change that would help",
        "没有符合申请的租赁方案；原因中说明了限制条件和最小调整",
        CHANGE_REQUEST,
    ),
    _e(
        "VALUATION_FROM_ASKING_PRICE",
        "offers",
        "info",
        "the car could not be valued, so the offer uses the asking price as its value",
        "暂无车辆估值，方案以报价作为车辆价值",
        NOTHING,
        "offer",
    ),
    _e(
        "RESIDUAL_ESTIMATED",
        "offers",
        "info",
        "the car's value at the end of the lease is estimated from a standard depreciation curve",
        "租期结束时的车辆残值按标准折旧曲线估算",
        NOTHING,
        "offer",
    ),
    _e(
        "FRAUD_SCORE_MISSING",
        "offers",
        "info",
        "no fraud check result, so no fraud surcharge is added to the rate",
        "暂无反欺诈结果，利率未加收欺诈风险溢价",
        NOTHING,
        "offer",
    ),
    _e(
        "GRADE_DEFAULTED",
        "offers",
        "info",
        "no credit grade yet, so the offer is priced as a middle grade (C)",
        "暂无信用等级，方案按中等（C级）定价",
        NOTHING,
        "offer",
    ),
    _e(
        "OFFERS_PROVISIONAL",
        "offers",
        "info",
        "the offers hold only after a person has reviewed the application",
        "方案需人工审核通过后才生效",
        WAIT,
        "offer",
    ),
    _e(
        "FEES_ABOVE_THRESHOLD",
        "offers",
        "info",
        "the fees are a large share of the amount financed",
        "费用占融资金额的比例较高",
        SEE_OFFER,
        "offer",
    ),
    _e(
        "FEE_FINANCED",
        "offers",
        "info",
        "a fee is added to the amount financed",
        "有一项费用计入融资金额",
        SEE_OFFER,
        "offer",
    ),
)


def _departure(code: str, en: str, zh: str) -> Entry:
    return _e(code, "offers", "info", en, zh, SEE_OFFER, "offer")


_DEPARTURES = (
    _departure(
        "DOWN_PAYMENT_ABOVE_PRODUCT_MAX",
        "down payment lowered to the most this product takes",
        "首付降至该产品允许的最高首付",
    ),
    _departure(
        "DOWN_PAYMENT_ROUNDED",
        "down payment rounded down to the offer's step (¥100)",
        "首付按方案单位（100元）向下取整",
    ),
    _departure(
        "DOWN_PAYMENT_LOWERED_FOR_FIT",
        "a smaller down payment was chosen: more cash is kept and every limit is met",
        "选择了较低首付：多保留现金，且满足各项限制",
    ),
    _departure(
        "DOWN_PAYMENT_RAISED_TO_PRODUCT_MIN",
        "down payment raised to the least this product needs",
        "首付提高至该产品要求的最低首付",
    ),
    _departure(
        "AMOUNT_RAISED_BY_DOWN_PAYMENT_CAP",
        "the down payment was capped, so the rest of the price is financed",
        "首付有上限，车价其余部分需融资",
    ),
    _departure(
        "AMOUNT_IS_PRICE_LESS_DOWN_PAYMENT",
        "the amount financed is the price less the down payment",
        "融资金额为车价减去首付",
    ),
    _departure(
        "AMOUNT_LOWERED_TO_LTV_CAP",
        "amount lowered to the most this product lends on the car's value for the credit grade",
        "融资金额降至该信用等级在该产品下按车辆估值可融资的上限",
    ),
    _departure(
        "AMOUNT_LOWERED_TO_PRODUCT_MAX",
        "amount lowered to the most this product finances",
        "融资金额降至该产品的融资上限",
    ),
    _departure(
        "AMOUNT_RAISED_TO_PRODUCT_MIN",
        "amount raised to the least this product finances",
        "融资金额提高至该产品的最低融资额",
    ),
    _departure(
        "AMOUNT_LOWERED_FOR_FIT",
        "a smaller amount was chosen: the rent fits the budget and income better",
        "选择了较低融资金额：月租金更符合预算和收入",
    ),
    _departure(
        "TERM_NOT_OFFERED_BY_PRODUCT",
        "term changed to one this product offers",
        "租期调整为该产品提供的租期",
    ),
    _departure(
        "TERM_TOO_LONG_FOR_VEHICLE",
        "term shortened: the car is too old for the term asked",
        "租期缩短：车龄较大，不能提供所申请的租期",
    ),
    _departure(
        "TERM_CHANGED_FOR_FIT",
        "term changed: another term fits the budget and costs better",
        "租期调整：其他租期更符合预算和成本",
    ),
)

SP_CHANNEL = Action(
    "The SP should contact its channel manager at the lessor.",
    "请服务商联系出租人的渠道经理。",
)
# The channel's limits: their texts live with the channel (`channel.reasons`).
_CHANNEL = tuple(
    _e(r.code, "channel", "decline" if r.severity == "decline" else "refer", r.message_en,
       r.message_zh, SP_CHANNEL)
    for r in CHANNEL_REASONS.values()
)  # fmt: skip

# A case reason the review domain adds when the SP asks a person to look at its decline or
# refer again (not emitted by a decision stage).
_REVIEW = (
    _e(
        "APPLICANT_REVIEW_REQUESTED",
        "applicant",
        "refer",
        "the applicant asked for a person to review the decision",
        "申请人要求人工复核该决定",
        WAIT,
    ),
)

ENTRIES: dict[str, Entry] = {}
for _entry in (
    *_IDENTITY, *_BIOMETRICS, *_CHECKS, *_VEHICLE, *_FRAUD, *_CREDIT, *_POLICY, *_OFFERS,
    *_DEPARTURES, *_CHANNEL, *_REVIEW,
):  # fmt: skip
    assert _entry.code not in ENTRIES, f"{_entry.code} is catalogued twice"
    ENTRIES[_entry.code] = _entry


def text(code: str) -> tuple[str, str]:
    """The English and Chinese text of a code with a fixed text (KeyError when it has none)."""
    found = ENTRIES[code]
    return found.text_en, found.text_zh
