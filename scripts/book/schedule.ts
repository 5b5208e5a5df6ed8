// The instructor's kit's suggested schedules, from what the build measured: a chapter's reading time
// (its words) and its deck's presenting time (its slides at MINUTES_PER_SLIDE, an estimate). A
// 12-week course gives each chapter a week and the weeks left to the heaviest ones, split at their
// sections; a 3-day workshop cuts the chapters, in order, into the three most even days.
import type { Section } from "./render";
import type { Chapter } from "./types";

/** A lecturer's pace through a deck: an estimate, said as one wherever it is shown. */
export const MINUTES_PER_SLIDE = 2;

export const presentingMinutes = (chapter: Chapter) => chapter.deck.slides * MINUTES_PER_SLIDE;

/** What a chapter asks of a course: reading it and presenting its deck, in minutes. */
export const chapterLoad = (chapter: Chapter) =>
  chapter.readingMinutes + presentingMinutes(chapter);

export interface CourseWeek {
  week: number;
  chapter: Chapter;
  /** Which of the chapter's weeks this is (1-based), of how many. */
  part: number;
  parts: number;
  /** The chapter's `##` sections taught this week. */
  sections: Section[];
}

/** How many weeks each chapter gets: one each, then one at a time to the most loaded per week. */
export function weeksPerChapter(chapters: Chapter[], weeks: number): number[] {
  if (!Number.isInteger(weeks) || weeks < chapters.length) {
    throw new Error(
      `a course of ${weeks} weeks cannot give each of the ${chapters.length} chapters a week`,
    );
  }
  const given = chapters.map(() => 1);
  for (let extra = weeks - chapters.length; extra > 0; extra--) {
    let best = 0;
    chapters.forEach((c, i) => {
      if (chapterLoad(c) / given[i] > chapterLoad(chapters[best]) / given[best]) best = i;
    });
    given[best]++;
  }
  return given;
}

const sectionWeight = (s: Section) =>
  s.text.join(" ").split(/\s+/).filter(Boolean).length + 10 * s.code.length;

/** `sections` cut, in order, into `parts` runs of about equal weight (a run may be empty). */
export function splitSections(sections: Section[], parts: number): Section[][] {
  const total = sections.reduce((sum, s) => sum + sectionWeight(s), 0);
  const runs: Section[][] = Array.from({ length: parts }, () => []);
  let done = 0;
  sections.forEach((section, i) => {
    // The run whose share of the weight this section's middle falls in, never running out of
    // sections for the runs after it.
    const middle = done + sectionWeight(section) / 2;
    const share = total ? Math.floor((middle / total) * parts) : 0;
    const left = sections.length - i;
    runs[Math.max(Math.min(share, parts - 1), parts - left)].push(section);
    done += sectionWeight(section);
  });
  return runs;
}

/** The chapters over a course of `weeks` weeks, in order. */
export function courseSchedule(chapters: Chapter[], weeks = 12): CourseWeek[] {
  const given = weeksPerChapter(chapters, weeks);
  let week = 0;
  return chapters.flatMap((chapter, i) => {
    const level2 = chapter.sections.filter((s) => s.level === 2);
    return splitSections(level2, given[i]).map((sections, part) => ({
      week: ++week,
      chapter,
      part: part + 1,
      parts: given[i],
      sections,
    }));
  });
}

/** The chapters, in order, cut into `days` days as even as can be (the heaviest day the lightest). */
export function workshopSchedule(chapters: Chapter[], wanted = 3): Chapter[][] {
  // A book of fewer chapters (a preview build) gets a day each.
  const days = Math.min(wanted, chapters.length);
  const loads = chapters.map(chapterLoad);
  const sum = (from: number, to: number) => loads.slice(from, to).reduce((a, b) => a + b, 0);
  // best[d][n]: the lightest heaviest day for the first n chapters in d days, and where the last
  // day starts.
  const best: { max: number; start: number }[][] = [[{ max: 0, start: 0 }]];
  for (let d = 1; d <= days; d++) {
    best[d] = [];
    for (let n = d; n <= chapters.length; n++) {
      for (let start = d - 1; start < n; start++) {
        const before = best[d - 1][start];
        if (!before) continue;
        const max = Math.max(before.max, sum(start, n));
        if (!best[d][n] || max < best[d][n].max) best[d][n] = { max, start };
      }
    }
  }
  const result: Chapter[][] = [];
  for (let d = days, n = chapters.length; d > 0; d--) {
    const { start } = best[d][n];
    result.unshift(chapters.slice(start, n));
    n = start;
  }
  return result;
}
