"""The kinds of document an application can carry, with their names (pure)."""

from __future__ import annotations

from enum import StrEnum


class DocumentKind(StrEnum):
    ID_CARD_FRONT = "id_card_front"
    ID_CARD_BACK = "id_card_back"
    VEHICLE_LICENCE = "vehicle_licence"  # 行驶证
    REGISTRATION_CERTIFICATE = "registration_certificate"  # 机动车登记证书
    BANK_CARD = "bank_card"
    INCOME_PROOF = "income_proof"


LABELS: dict[DocumentKind, tuple[str, str]] = {
    DocumentKind.ID_CARD_FRONT: ("身份证人像面", "ID card, photo side"),
    DocumentKind.ID_CARD_BACK: ("身份证国徽面", "ID card, emblem side"),
    DocumentKind.VEHICLE_LICENCE: ("行驶证", "vehicle licence"),
    DocumentKind.REGISTRATION_CERTIFICATE: ("机动车登记证书", "vehicle registration certificate"),
    DocumentKind.BANK_CARD: ("银行卡", "bank card"),
    DocumentKind.INCOME_PROOF: ("收入证明", "proof of income"),
}
"""Chinese and English name of each kind."""
