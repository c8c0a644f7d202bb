# The book and the mistakes suite are one list. For every chapter page
# docs/chNN_<topic>.md, the bold titles of the bullets under "## Common
# mistakes" (without their final period) must be the titles of the mistakes in
# tests/mistakes/chNN_<topic>.inc: every mistake the page warns about is
# proved to be caught, and every mistake the suite plants is explained to the
# learner. Pitfalls that are not a mistake in a task's code belong in the
# page's "## Pitfalls outside the tasks" instead.
#
# Usage: cmake -DSOURCE_DIR=<repository> -P check_pages.cmake

cmake_minimum_required(VERSION 3.20)

if(NOT SOURCE_DIR)
    message(FATAL_ERROR "usage: cmake -DSOURCE_DIR=<repository> -P check_pages.cmake")
endif()

# The lines of a file as a CMake list. Semicolons and square brackets would
# confuse the list (a bracket left open on one line joins the lines up to the
# one that closes it), so they are replaced first: by a comma and by parentheses.
function(read_lines path out)
    file(READ ${path} text)
    string(REPLACE ";" "," text "${text}")
    string(REPLACE "[" "(" text "${text}")
    string(REPLACE "]" ")" text "${text}")
    string(REPLACE "\n" ";" text "${text}")
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

# A title with those characters could not be compared faithfully.
function(check_title title where)
    if(title MATCHES "[][;]")
        message(SEND_ERROR "${where}: the title '${title}' contains ';', '[' or ']'")
    endif()
endfunction()

file(GLOB pages ${SOURCE_DIR}/docs/ch[0-9][0-9]_*.md)
set(problems 0)
set(checked 0)
foreach(page IN LISTS pages)
    get_filename_component(chapter ${page} NAME_WE)
    set(mistakes_file ${SOURCE_DIR}/tests/mistakes/${chapter}.inc)

    # The page's titles: "- **Title.**" lines between "## Common mistakes" and the next "## ".
    read_lines(${page} lines)
    set(page_titles "")
    set(inside FALSE)
    set(line_number 0)
    foreach(line IN LISTS lines)
        math(EXPR line_number "${line_number} + 1")
        if(line MATCHES "^## ")
            if(line MATCHES "^## Common mistakes")
                set(inside TRUE)
            else()
                set(inside FALSE)
            endif()
        elseif(inside AND line MATCHES "^- \\*\\*")
            if(NOT line MATCHES "^- \\*\\*([^*]+)\\*\\*")
                message(SEND_ERROR "docs/${chapter}.md:${line_number}: a bullet's bold title must end on its first line and contain no '*'")
                math(EXPR problems "${problems} + 1")
                continue()
            endif()
            string(REGEX REPLACE "\\.$" "" title "${CMAKE_MATCH_1}")
            check_title("${title}" "docs/${chapter}.md:${line_number}")
            list(APPEND page_titles "${title}")
        endif()
    endforeach()

    # The suite's titles: "// MISTAKE (chNN.K) Title" lines.
    set(suite_titles "")
    if(EXISTS ${mistakes_file})
        file(STRINGS ${mistakes_file} headers REGEX "^// MISTAKE \\(")
        foreach(header IN LISTS headers)
            string(REGEX REPLACE "^// MISTAKE \\([^)]*\\) " "" title "${header}")
            check_title("${title}" "tests/mistakes/${chapter}.inc")
            list(APPEND suite_titles "${title}")
        endforeach()
    endif()
    list(REMOVE_DUPLICATES suite_titles)  # one title may cover a mistake in several tasks

    foreach(title IN LISTS page_titles)
        if(NOT title IN_LIST suite_titles)
            message(SEND_ERROR "docs/${chapter}.md lists the common mistake '${title}', "
                "but tests/mistakes/${chapter}.inc has no mistake with that title")
            math(EXPR problems "${problems} + 1")
        endif()
    endforeach()
    foreach(title IN LISTS suite_titles)
        if(NOT title IN_LIST page_titles)
            message(SEND_ERROR "tests/mistakes/${chapter}.inc has the mistake '${title}', "
                "but the \"Common mistakes\" of docs/${chapter}.md do not list it")
            math(EXPR problems "${problems} + 1")
        endif()
    endforeach()
    list(LENGTH page_titles count)
    math(EXPR checked "${checked} + ${count}")
endforeach()

if(problems GREATER 0)
    message(FATAL_ERROR "${problems} difference(s) between the chapter pages and tests/mistakes/")
endif()
list(LENGTH pages page_count)
message(STATUS "${page_count} chapter pages, ${checked} common mistakes, each one in the mistakes suite")
