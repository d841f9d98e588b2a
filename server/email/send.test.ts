import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { emailOutbox } from "@/db/schema";
import { testDatabase } from "@/db/testing/database";
import { listOutbox } from "./outbox";
import { type EmailConfig, emailMode, retryEmail, sendEmail } from "./send";
import { renderEmail } from "./templates";
import { type FakeResend, startFakeResend } from "./testing/fake-resend";

const db = await testDatabase();
let fake: FakeResend;
let resend: EmailConfig;
const FROM = "Зерно <no-reply@zerno.test>";
const OUTBOX: EmailConfig = { from: FROM };

beforeAll(async () => {
  fake = await startFakeResend();
  resend = { apiKey: "re_test_key", baseUrl: fake.url, from: FROM };
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const message = (to: string) => ({
  to,
  subject: "Приглашение в «Зерно»",
  html: "<p>Здравствуйте!</p>",
  text: "Здравствуйте!",
  context: "send-cafe",
});

async function stored(id: string) {
  const [row] = await db.admin.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  return row;
}

describe("sendEmail through Resend", () => {
  it("posts the message with the key and an idempotency key, and marks the row delivered", async () => {
    const sent = await sendEmail(db.app, message("anna@example.com"), resend);

    expect(sent.delivered).toBe(true);
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe("/emails");
    expect(request?.headers.authorization).toBe("Bearer re_test_key");
    expect(request?.headers["idempotency-key"]).toBe(sent.id);
    expect(request?.body).toMatchObject({
      from: FROM,
      to: "anna@example.com",
      subject: "Приглашение в «Зерно»",
      html: "<p>Здравствуйте!</p>",
      text: "Здравствуйте!",
    });
    const row = await stored(sent.id);
    expect(row).toMatchObject({ provider: "resend", delivered: true, error: null, context: "send-cafe" });
    expect(row?.providerMessageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([500, 422] as const)("records a %i from Resend and resolves delivered=false", async (status) => {
    fake.fail(status);
    const sent = await sendEmail(db.app, message("boris@example.com"), resend);

    expect(sent.delivered).toBe(false);
    expect(fake.requests).toHaveLength(1);
    const row = await stored(sent.id);
    expect(row).toMatchObject({ provider: "resend", delivered: false, providerMessageId: null });
    expect(row?.error).toContain(String(status));
  });

  it("records an unreachable provider instead of throwing", async () => {
    const down = await startFakeResend();
    await down.close();
    const sent = await sendEmail(db.app, message("vera@example.com"), { ...resend, baseUrl: down.url });

    expect(sent.delivered).toBe(false);
    expect((await stored(sent.id))?.error).toBeTruthy();
  });

  it("retries a failed row with the same idempotency key and records the delivery", async () => {
    fake.fail(500);
    const failed = await sendEmail(db.app, message("gleb@example.com"), resend);
    fake.reset();

    const retried = await retryEmail(db.app, failed.id, resend);
    const again = await retryEmail(db.app, failed.id, resend);

    expect(retried).toEqual({ id: failed.id, delivered: true });
    expect(again).toEqual({ id: failed.id, delivered: true });
    // The second retry sees the row delivered and does not call Resend at all.
    expect(fake.requests.map((request) => request.headers["idempotency-key"])).toEqual([failed.id]);
    expect(await stored(failed.id)).toMatchObject({ delivered: true, error: null });
  });
});

describe("sendEmail without an API key", () => {
  it("stores the message as outbox mail and sends nothing", async () => {
    expect(emailMode(OUTBOX)).toBe("outbox");
    expect(emailMode(resend)).toBe("resend");

    const sent = await sendEmail(db.app, message("dina@example.com"), OUTBOX);

    expect(sent.delivered).toBe(false);
    expect(fake.requests).toHaveLength(0);
    expect(await stored(sent.id)).toMatchObject({
      provider: "outbox",
      delivered: false,
      providerMessageId: null,
      error: null,
      toAddress: "dina@example.com",
      text: "Здравствуйте!",
    });
  });

  it("lists the outbox newest first", async () => {
    const first = await sendEmail(db.app, message("first@example.com"), OUTBOX);
    const second = await sendEmail(db.app, message("second@example.com"), OUTBOX);

    const latest = await listOutbox(db.app, 2);

    expect(latest.map((email) => email.id)).toEqual([second.id, first.id]);
    expect(latest[0]).toMatchObject({ to: "second@example.com", subject: "Приглашение в «Зерно»" });
  });
});

describe("renderEmail", () => {
  const url = "https://zerno.test/invite?token=abc123";

  it("escapes interpolated text in the HTML and keeps the plain text readable", () => {
    const { html, text } = renderEmail({
      title: "<script>alert(1)</script>",
      intro: 'Кофейня "Ёж & <b>Ко</b>" приглашает вас.',
      footer: "<img src=x onerror=alert(1)>",
      action: { label: "<script>x</script>", url },
    });

    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<b>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("Кофейня &quot;Ёж &amp; &lt;b&gt;Ко&lt;/b&gt;&quot; приглашает вас.");
    expect(text).toContain("<script>alert(1)</script>");
  });

  it("puts the action URL in both versions, Russian by default", () => {
    const { html, text } = renderEmail({
      title: "Вход в кабинет",
      intro: "Нажмите кнопку, чтобы войти.\n\nСсылка действует 15 минут.",
      action: { label: "Войти", url },
    });

    expect(html).toContain(`href="${url}"`);
    expect(html).toContain('<html lang="ru">');
    expect(html).toContain("Если кнопка не работает");
    expect(text).toContain(`Войти: ${url}`);
    expect(text).toContain("Нажмите кнопку, чтобы войти.\n\nСсылка действует 15 минут.");
  });

  it("adds a visible unsubscribe link when asked, in the requested language", () => {
    const unsubscribeUrl = "https://zerno.test/u/abc";
    const { html, text } = renderEmail({ title: "News", intro: "Hello", unsubscribeUrl, locale: "en" });

    expect(html).toContain(`<a href="${unsubscribeUrl}"`);
    expect(html).toContain(">Unsubscribe</a>");
    expect(text).toContain(`Unsubscribe: ${unsubscribeUrl}`);
    expect(renderEmail({ title: "t", intro: "i" }).html).not.toContain("Отписаться");
  });

  it("refuses links that are not http(s)", () => {
    expect(() => renderEmail({ title: "t", intro: "i", action: { label: "x", url: "javascript:alert(1)" } })).toThrow(
      /http/,
    );
  });
});
