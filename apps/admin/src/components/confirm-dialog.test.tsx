import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { ConfirmDialog, Dialog } from "./confirm-dialog.tsx";

const noop = () => {};

describe("ConfirmDialog", () => {
  it("is a dialog named by its heading, with the body, Cancel and the confirm button in one form", () => {
    const html = renderToStaticMarkup(
      <ConfirmDialog
        title="Retire Till 2?"
        onClose={noop}
        onConfirm={noop}
        confirmLabel="Retire"
        cancelLabel="Cancel"
        testId="till-retire-dialog"
      >
        <p>It stops syncing.</p>
      </ConfirmDialog>,
    );
    const labelledBy = html.match(/<dialog[^>]* aria-labelledby="([^"]+)"/)?.[1];
    expect(labelledBy).toBeTruthy();
    expect(html).toContain(`<h2 id="${labelledBy}"`);
    expect(html).toContain('data-testid="till-retire-dialog"');
    expect(html).toMatch(
      /<form[^>]*><p>It stops syncing\.<\/p><div[^>]*><button type="button"[^>]*>Cancel<\/button><button type="submit"[^>]*>Retire<\/button>/,
    );
    expect(html).not.toContain("disabled");
    expect(html).not.toContain('role="alert"');
  });

  it("disables the confirm button while pending, saying so, and reads the error out under the fields", () => {
    const html = renderToStaticMarkup(
      <ConfirmDialog
        title="Approve"
        onClose={noop}
        onConfirm={noop}
        confirmLabel="Approve"
        cancelLabel="Cancel"
        pending
        pendingLabel="Saving…"
        error="The note is too short."
        errorId="approve-error"
      >
        <textarea name="note" />
      </ConfirmDialog>,
    );
    expect(html).toContain('<button type="submit" class');
    expect(html).toMatch(/<button type="submit"[^>]* disabled="">Saving…<\/button>/);
    expect(html).toMatch(
      /<textarea name="note"><\/textarea><p id="approve-error" class="[^"]+" role="alert">The note is too short\.<\/p>/,
    );
  });

  it("keeps the confirm button off until the action can run", () => {
    const html = renderToStaticMarkup(
      <ConfirmDialog
        title="Retry"
        onClose={noop}
        onConfirm={noop}
        confirmLabel="Retry 0"
        cancelLabel="Cancel"
        disabled
      />,
    );
    expect(html).toMatch(/<button type="submit"[^>]* disabled="">Retry 0<\/button>/);
  });
});

describe("Dialog", () => {
  it("frames any content under its heading, without a form", () => {
    const html = renderToStaticMarkup(
      <Dialog title="Till key" onClose={noop}>
        <button type="button">I have saved it</button>
      </Dialog>,
    );
    expect(html).toMatch(
      /<dialog[^>]*><h2[^>]*>Till key<\/h2><button type="button">I have saved it<\/button><\/dialog>/,
    );
    expect(html).not.toContain("<form");
  });
});
