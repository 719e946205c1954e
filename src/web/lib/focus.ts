/** After a failed submit, puts the keyboard on the first field the API complained about (else the form's alert). */
export function focusFirstProblem(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => {
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"], [role="alert"]');
    target?.focus();
  });
}
