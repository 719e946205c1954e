import { Link } from 'react-router';

export function Brand() {
  return (
    <Link to="/" className="brand">
      <svg aria-hidden="true" viewBox="0 0 32 32" width="28" height="28">
        <rect width="32" height="32" rx="8" fill="currentColor" />
        <path
          d="M9 21.5c2.2-1.3 4.5-2 7-2s4.8.7 7 2V10.5c-2.2-1.3-4.5-2-7-2s-4.8.7-7 2z"
          fill="none"
          stroke="#fff"
          strokeWidth="2"
          strokeLinejoin="round"
        />
        <path d="M16 8.5v11" stroke="#fff" strokeWidth="2" />
      </svg>
      <span>Language Tutor</span>
    </Link>
  );
}
