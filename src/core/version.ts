/** Illustrate's version, recorded in every image it makes (a unit test keeps it equal to package.json's). */
export const VERSION = '0.1.0';
