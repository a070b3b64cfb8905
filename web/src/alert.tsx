/** An error line that screen readers announce; renders nothing when there is no message. */
export function Alert({ message }: { message: string }) {
  return message ? (
    <p class="error" role="alert">
      {message}
    </p>
  ) : null;
}
