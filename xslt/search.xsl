<?xml version="1.0" encoding="UTF-8"?>
<!--
  The search page: a form over the static index that build writes with Pagefind (search.py
  explains it; edition.js runs it). Served over http it searches by words, person and
  place; opened from disk (file://), where browsers refuse to load the index, it says how
  to serve the site instead. Input: as for home.xsl.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:import href="lib/common.xsl"/>
  <xsl:import href="lib/page.xsl"/>
  <xsl:import href="lib/edition.xsl"/>

  <xsl:mode on-no-match="fail"/>

  <xsl:template match="/">
    <xsl:call-template name="st:page">
      <xsl:with-param name="title" select="'Search · ' || st:edition-title(.)"/>
      <xsl:with-param name="current" select="'search'"/>
      <xsl:with-param name="header">
        <div class="doc-header">
          <p class="edition-title"><a href="index.html"><xsl:value-of
              select="st:edition-title(.)"/></a></p>
          <h1>Search</h1>
        </div>
      </xsl:with-param>
      <xsl:with-param name="content" select="."/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/" mode="st:page-content">
    <div class="search" id="search">
      <p class="search-note" id="search-offline">Search works when the site is served by a
        web server: in the folder above this site run <code>serge-tei serve</code> (or
        <code>serge-tei serve <var>FOLDER</var></code>) and open the address it prints.
        Opened from disk, browsers do not let a page load the search index. Meanwhile the
        <a href="persons.html">persons</a>, <a href="places.html">places</a>,
        <a href="orgs.html">organisations</a> and <a href="works.html">works</a> indexes
        list every mention.</p>
      <form class="search-form" role="search" hidden="hidden" action="search.html">
        <p>
          <label for="q">Words</label>
          <input id="q" name="q" type="search" autocomplete="off"/>
        </p>
        <p>
          <label for="person">Person</label>
          <select id="person" name="person"><option value="">Any person</option></select>
        </p>
        <p>
          <label for="place">Place</label>
          <select id="place" name="place"><option value="">Any place</option></select>
        </p>
        <p><button type="submit">Search</button></p>
      </form>
      <p class="search-status" role="status" aria-live="polite"></p>
      <ol class="search-results"></ol>
    </div>
  </xsl:template>

</xsl:stylesheet>
