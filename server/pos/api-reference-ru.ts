/**
 * The POS API reference's words in Russian, keyed by the English text of the OpenAPI document
 * (summaries, field descriptions, error cases). The document itself stays English — it is what
 * POS developers' tools read; the integrations page shows these to a Russian reader.
 * server/pos/api-reference.test.ts fails when a new text has no translation here.
 */
export const POS_REFERENCE_RU: Record<string, string> = {
  "Loyalty rules": "Правила лояльности",
  "no key, an unknown key or a revoked key": "ключа нет, ключ неизвестен или отозван",
  "the café's subscription is not active (trial over, unpaid, cancelled)":
    "подписка кафе не активна (пробный период кончился, не оплачена, отменена)",
  "too many requests from this key; the Retry-After header says when to retry":
    "слишком много запросов с этого ключа; заголовок Retry-After говорит, когда повторить",
  "Enrol a guest at the counter": "Зарегистрировать гостя на кассе",
  "Any common form; stored as E.164": "В любом привычном виде; хранится в формате E.164",
  "the body fails validation (details list the fields) or contradicts itself (a receipt with another guest's hold), is not JSON, or not sent as application/json":
    "тело не проходит проверку (details перечисляет поля) или противоречит себе (чек с удержанием другого гостя), не JSON или отправлено не как application/json",
  "a guest with this phone is already enrolled": "гость с этим телефоном уже зарегистрирован",
  "the email belongs to another guest of the café (beyond POS-API.md): enrol without it":
    "эта почта принадлежит другому гостю кафе (сверх POS-API.md): регистрируйте без неё",
  "Identify a guest": "Найти гостя",
  "A card code, the cabinet's QR payload (changes every 30 s, valid 2 min) or a phone":
    "Номер карты, содержимое QR-кода из кабинета (меняется каждые 30 с, действует 2 мин) или телефон",
  "The guest's usable offers, evaluated against the basket when one is sent":
    "Доступные гостю предложения, проверенные по корзине, если она передана",
  "no guest with this identifier in this key's café": "в кафе этого ключа нет гостя с таким идентификатором",
  "Look up a promo code": "Проверить промокод",
  "The promo code, for a code offer": "Промокод — для предложения по коду",
  "In the café's language": "На языке кафе",
  "percent_off: percent; amount_off: minor units; free_item: 1; points_multiplier: N (×N points); bonus_points: N points":
    "percent_off: процент; amount_off: копейки/центы; free_item: 1; points_multiplier: N (×N баллов); bonus_points: N баллов",
  "What it is on; with no skus and no categories: the whole check":
    "На что действует; без skus и categories — на весь чек",
  "Only together with: the check must hold one of these SKUs (else reason required_item_missing)":
    "Только вместе с: в чеке должен быть один из этих SKU (иначе причина required_item_missing)",
  "When it ends for this guest; null: no end": "Когда заканчивается для этого гостя; null — бессрочно",
  "Whether it applies to the basket sent (without a basket: at this location)":
    "Применимо ли к переданной корзине (без корзины — в этой точке)",
  "Why it does not apply": "Почему не применимо",
  "Beyond POS-API.md: the most money it may take off the basket sent (minor units; 0 for points offers)":
    "Сверх POS-API.md: наибольшая скидка с переданной корзины (в копейках/центах; 0 для предложений с баллами)",
  "no offer with this id or promo code in this key's café (another café's codes too)":
    "в кафе этого ключа нет предложения с таким id или промокодом (коды других кафе тоже)",
  "the offer is outside its dates or paused (details.reason: expired, not_yet_valid, paused)":
    "предложение вне своих дат или приостановлено (details.reason: expired, not_yet_valid, paused)",
  "the offer's uses are taken: in total, or this guest's (also the loser of two checks racing for the last use)":
    "использования предложения исчерпаны: всего или у этого гостя (и у проигравшего из двух чеков, споривших за последнее)",
  "Hold points for an open check": "Удержать баллы для открытого чека",
  "Points (1 point pays 100 minor units)": "Баллы (1 балл оплачивает 100 копеек/центов)",
  "Money in minor units (45000 = 450.00 ₽)": "Деньги в копейках/центах (45000 = 450,00 ₽)",
  "this externalId (for a hold: the externalCheckId of a hold still held) was used before with a different payload":
    "этот externalId (для удержания — externalCheckId ещё действующего удержания) уже был с другим содержимым",
  "more points than the programme's cap allows for this check":
    "больше баллов, чем разрешает лимит программы для этого чека",
  "more points than the guest can spend": "больше баллов, чем гость может потратить",
  "Void a hold": "Отменить удержание",
  "no hold with this id in this key's café": "в кафе этого ключа нет удержания с таким id",
  "the hold was already committed, voided or expired": "удержание уже проведено, отменено или истекло",
  "Record a closed check": "Записать закрытый чек",
  "Your id of the check; unique per location, the idempotency key":
    "Ваш id чека; уникален в точке, ключ идемпотентности",
  "ISO 8601 with offset": "ISO 8601 со смещением",
  "A held redemption to commit with this check": "Удержание баллов, которое провести с этим чеком",
  "The check before points; equals the sum of line amounts": "Чек до баллов; равен сумме строк",
  "Offers applied to this check; line amounts and total are after their discounts":
    "Предложения, применённые к чеку; суммы строк и итог — после их скидок",
  "When the check named offers: each with its discount and the points it added (in pointsEarned)":
    "Если в чеке были предложения: каждое со своей скидкой и добавленными баллами (в pointsEarned)",
  "an offer of the check does not apply: details name it (offerId, code, path, reason: not_for_this_guest, expired, not_yet_valid, paused, wrong_location, no_matching_items, required_item_missing, min_check_not_met, discount_exceeds_allowed with maxDiscount)":
    "предложение из чека неприменимо: details называет его (offerId, code, path, reason: not_for_this_guest, expired, not_yet_valid, paused, wrong_location, no_matching_items, required_item_missing, min_check_not_met, discount_exceeds_allowed с maxDiscount)",
  "Read a receipt": "Прочитать чек",
  "no receipt with this externalId at this key's location": "в точке этого ключа нет чека с таким externalId",
  "Refund a receipt fully or partly": "Вернуть чек полностью или частично",
  "Money refunded, minor units": "Сумма возврата, в копейках/центах",
  "the refunds would exceed what the receipt was paid": "возвраты превысили бы оплаченное по чеку",
};

/** A reference text in the reader's language (English as written in the document otherwise). */
export function referenceText(text: string, locale: string): string {
  return locale === "ru" ? (POS_REFERENCE_RU[text] ?? text) : text;
}
